import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserSyncPlan } from "../../../shared/domain/user-sync/user-sync-plan.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import type { SyncRun } from "../../../shared/usecases/user-sync/sync-run-store.js";
import { cliSettingsFor, runCli } from "./run-cli.js";

const WRITES = ["CreateUser", "UpdateUser"];

/** The demo organisation on fresh simulators; the CLI reads their settings from a GW3CX_CONFIG file. */
describe("gw3cx plan / sync / status against the simulators", () => {
  let sims: DemoSimulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const writesSoFar = () => WRITES.reduce((sum, op) => sum + (sims.threecx.stats.requests[op] ?? 0), 0);
  const pbxUsers = () => [...sims.threecx.state.users.values()];

  beforeAll(async () => {
    sims = await startDemoSimulators();
    ({ dir, env } = cliSettingsFor(sims, "gw3cx-cli-"));
  });

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("plan --json lists the 47 creates and 1 adoption and writes nothing to 3CX", async () => {
    const usersBefore = pbxUsers().length;
    const result = await runCli(["plan", "--json"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as UserSyncPlan & { runId: string };
    expect(plan.creates).toHaveLength(47);
    expect(plan.adoptions).toHaveLength(1);
    expect(plan.creates.map((c) => c.email)).toContain("ada.lovelace.0@example.com");
    expect(plan.creates.every((c) => c.reason === "NEW_ACTIVE_USER")).toBe(true);
    expect(plan.disables).toHaveLength(0);
    expect(writesSoFar()).toBe(0);
    expect(pbxUsers()).toHaveLength(usersBefore);
  });

  it("plan prints the plan as tables with reasons, and says nothing was applied", async () => {
    const result = await runCli(["plan"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Create \(47\):/);
    expect(result.stdout).toContain("ada.lovelace.0@example.com");
    expect(result.stdout).toMatch(/Adopt .*\(1\):/);
    expect(result.stdout).toContain("suspended, archived or deleted in Workspace, and never synced");
    expect(result.stdout).toContain("Nothing was applied");
    expect(writesSoFar()).toBe(0);
  });

  it("sync creates the users in 3CX and exits 0; a second sync writes nothing", async () => {
    const first = await runCli(["sync"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/: applied\n\s+47 created, 1 adopted/);
    const ada = pbxUsers().find((u) => u.EmailAddress === "ada.lovelace.0@example.com");
    expect(ada).toMatchObject({ FirstName: "Ada", LastName: "Lovelace", Enabled: true });
    expect(sims.threecx.stats.requests.CreateUser).toBe(47);

    const writes = writesSoFar();
    const second = await runCli(["sync", "--json"], env);
    expect(second.code).toBe(0);
    const run = JSON.parse(second.stdout) as SyncRun;
    expect(run).toMatchObject({ status: "applied", counts: { creates: 0, adoptions: 0, updates: 0 } });
    expect(writesSoFar()).toBe(writes);
  });

  it("plan shows a changed field as old -> new", async () => {
    sims.google.tenant.updateUser("ada.lovelace.0@example.com", { givenName: "Ada2" });
    const result = await runCli(["plan"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Update \(1\):/);
    expect(result.stdout).toContain('FirstName: "Ada" -> "Ada2"');
    sims.google.tenant.updateUser("ada.lovelace.0@example.com", { givenName: "Ada" });
  });

  it("status --json shows the runs and the managed users", async () => {
    const result = await runCli(["status", "--json"], env);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as Gw3cxStatus;
    expect(status.managedUsers).toBe(48);
    expect(status.held).toEqual([]);
    expect(status.runs.map((r) => r.status)).toEqual(["planned", "applied", "applied", "planned", "planned"]);

    const text = await runCli(["status"], env);
    expect(text.stdout).toContain("3CX users managed by gw3cx: 48");
    expect(text.stdout).toMatch(/Recent runs \(5\):/);
  });

  it("a run that would disable more than the safeguard allows is held (exit 2) until approved", async () => {
    const suspended = pbxUsers()
      .filter((u) => /^[a-z]+\.[a-z-]+\.\d+@example\.com$/.test(String(u.EmailAddress)))
      .slice(0, 6)
      .map((u) => String(u.EmailAddress));
    for (const email of suspended) sims.google.tenant.suspendUser(email);
    const writes = writesSoFar();

    const held = await runCli(["sync"], env);
    expect(held.code).toBe(2);
    const runId = /gw3cx sync --approve (\S+)/.exec(held.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(held.stdout).toContain("Nothing was changed");
    for (const email of suspended) expect(held.stdout).toContain(email);
    expect(writesSoFar()).toBe(writes);

    const status = JSON.parse((await runCli(["status", "--json"], env)).stdout) as Gw3cxStatus;
    expect(status.held.map((r) => r.runId)).toEqual([runId]);

    const approved = await runCli(["sync", "--approve", runId as string, "--json"], env);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: "applied", approves: runId });
    for (const email of suspended)
      expect(pbxUsers().find((u) => u.EmailAddress === email)?.Enabled, email).toBe(false);

    const again = await runCli(["sync", "--approve", runId as string], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^gw3cx: RUN_NOT_HELD: /);
  });

  it("a bad setting exits 78 naming the setting, the value and what is allowed", async () => {
    const result = await runCli(["plan"], { ...env, GW_SYNC_TIME: "25:00" });
    expect(result.code).toBe(78);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('gwSyncTime ($GW_SYNC_TIME) = "25:00": expected a 24-hour time HH:MM:SS');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("a failed run exits 1 with one gw3cx: CODE: message line, and never prints a secret", async () => {
    // A PBX that refuses connections, without retries, so the failure is quick.
    const config = join(dir, "unreachable-pbx.json");
    writeFileSync(
      config,
      JSON.stringify({
        ...sims.settings,
        threecx: { ...(sims.settings.threecx as object), url: "http://127.0.0.1:9", maxRetries: 0 },
      }),
    );
    const quiet = await runCli(["sync"], { ...env, GW3CX_CONFIG: config });
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/^gw3cx: [A-Z_]+: .+$/m);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);

    const verbose = await runCli(["sync", "--verbose"], { ...env, GW3CX_CONFIG: config });
    expect(verbose.code).toBe(1);
    for (const secret of Object.values(sims.env)) {
      expect(quiet.stdout + quiet.stderr).not.toContain(secret);
      expect(verbose.stdout + verbose.stderr).not.toContain(secret);
    }
  });
});
