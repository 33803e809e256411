import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import type { CheckResult } from "../../../shared/domain/doctor/check-result.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import {
  DEMO_SERVICE_ACCOUNT,
  demoThreeCxSeed,
  demoWorkspaceSeed,
} from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";
import { ChannelStore } from "../../../shared/usecases/channels/channel-store.js";
import { DeadLetterLog } from "../../../shared/usecases/status/dead-letter-log.js";
import { SyncRunStore } from "../../../shared/usecases/user-sync/sync-run-store.js";
import { refusingPort } from "../../support/unreachable-ports.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

const CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar.events.readonly";
/** The demo service account's numeric id, as the Terraform output delegation_client_ids names it. */
const DEMO_CLIENT_ID = demoWorkspaceSeed().serviceAccounts?.[0]?.uniqueId as string;

let sims: DemoSimulators | undefined;
let dir: string | undefined;
async function tearDown() {
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sims = undefined;
  dir = undefined;
}
afterEach(tearDown);

/** Fresh demo simulators, the CLI pointed at them with these settings over the demo's. */
async function setUp(options: { threecx?: Partial<ThreeCxSeed>; settings?: Record<string, unknown> } = {}) {
  sims = await startDemoSimulators({ threecx: { ...demoThreeCxSeed(), ...options.threecx } });
  const cli = cliSettingsFor(
    { ...sims, settings: { ...sims.settings, gcp: { projectId: "acme-gw3cx" }, ...options.settings } },
    "gw3cx-doctor-",
  );
  dir = cli.dir;
  const outputs = join(cli.dir, "outputs.json");
  writeFileSync(
    outputs,
    JSON.stringify({
      delegation_client_ids: { value: [{ account: DEMO_SERVICE_ACCOUNT, clientId: DEMO_CLIENT_ID }] },
    }),
  );
  const stateDb = cli.env.GW3CX_STATE_DB as string;
  return {
    sims,
    env: cli.env,
    stateDb,
    doctor: async (...args: string[]) => {
      const result = await runCli(["doctor", "--outputs", outputs, ...args], cli.env);
      return { ...result, lines: result.stdout.split("\n") };
    },
    /** Writes into the CLI's state as a running gw3cx would. */
    async withState(write: (state: SqliteStateStore) => Promise<void>) {
      const state = new SqliteStateStore(stateDb);
      try {
        await write(state);
      } finally {
        await state.close();
      }
    },
  };
}

const line = (lines: string[], name: string) => lines.find((l) => l.slice(5).startsWith(`${name}:`)) ?? "";

describe("gw3cx doctor against the simulators, one failure injected at a time", () => {
  it("a scope missing from domain-wide delegation is named with the client id to add it to", async () => {
    const pbx = await setUp();
    pbx.sims.google.tenant.auth.revoke(DEMO_CLIENT_ID, [CALENDAR_SCOPE]);
    const result = await pbx.doctor();
    expect(result.code).toBe(1);
    expect(line(result.lines, "delegation")).toBe(
      `FAIL delegation: refused for admin@example.com: ${CALENDAR_SCOPE} (calendar presence) -> ` +
        "Admin console > Security > API controls > Domain-wide delegation: " +
        `add ${CALENDAR_SCOPE} to client id ${DEMO_CLIENT_ID}`,
    );
    // The calendar read needs that token: it defers to the delegation line instead of failing twice.
    expect(line(result.lines, "google-api-calendar")).toMatch(/^SKIP /);
    expect(line(result.lines, "google-api-directory")).toMatch(/^PASS /);

    // Without the deployment's outputs the id comes from IAM (serviceAccounts.get).
    const fromIam = (await runCli(["doctor"], pbx.env)).stdout.split("\n");
    expect(line(fromIam, "delegation")).toBe(line(result.lines, "delegation"));
  });

  it("an API not enabled in the project gives the gcloud command that enables it", async () => {
    const pbx = await setUp();
    pbx.sims.google.tenant.faults.addRouteFault({ operation: "people.*", error: "403-accessNotConfigured" });
    pbx.sims.google.tenant.faults.addRouteFault({
      operation: "calendar.*",
      error: "403-accessNotConfigured",
    });
    const result = await pbx.doctor("--json");
    expect(result.code).toBe(1);
    const checks = (JSON.parse(result.stdout) as { ok: boolean; checks: CheckResult[] }).checks;
    expect(checks.find((c) => c.name === "google-api-people")).toMatchObject({
      status: "fail",
      fix: "gcloud services enable people.googleapis.com --project acme-gw3cx (then wait a few minutes)",
    });
    expect(checks.find((c) => c.name === "google-api-calendar")).toMatchObject({
      status: "fail",
      fix: "gcloud services enable calendar-json.googleapis.com --project acme-gw3cx (then wait a few minutes)",
    });
    expect(checks.find((c) => c.name === "google-api-directory")?.status).toBe("pass");
  });

  it("a wrong 3CX secret fails the API client check and skips what depends on it", async () => {
    const pbx = await setUp();
    const result = await runCli(["doctor"], { ...pbx.env, GW3CX_DEMO_3CX_SECRET: "not-the-secret" });
    const lines = result.stdout.split("\n");
    expect(result.code).toBe(1);
    expect(line(lines, "3cx-reachable")).toMatch(/^PASS /);
    expect(line(lines, "3cx-api-client")).toMatch(/^FAIL 3cx-api-client: the PBX refused API client gw3cx: /);
    expect(line(lines, "3cx-api-client")).toContain(
      "-> 3CX Admin > Integrations > API: check the client id (threecx.clientId) and put its current secret in the environment variable GW3CX_DEMO_3CX_SECRET",
    );
    expect(result.stdout).not.toContain("not-the-secret");
    for (const name of ["3cx-version", "3cx-system-owner", "3cx-own-google-sync"])
      expect(line(lines, name)).toMatch(/^SKIP /);
  });

  it("an API client without the System Owner role fails the role check", async () => {
    const pbx = await setUp({
      threecx: {
        apiClients: [{ clientId: "gw3cx", secret: "local-simulator-secret", role: "system_admin" }],
      },
    });
    const result = await pbx.doctor();
    expect(result.code).toBe(1);
    expect(line(result.lines, "3cx-api-client")).toMatch(/^PASS /);
    expect(line(result.lines, "3cx-system-owner")).toMatch(
      /^FAIL 3cx-system-owner: the API client may not read GoogleSettings: .* -> 3CX Admin > Integrations > API: edit the client and set its role to System Owner$/,
    );
  });

  it("a PBX older than 20.0.9 fails only with personal contacts on, and 3CX's own sync on is a warning", async () => {
    const old = { version: "20.0.8.1109", settings: { GoogleSettings: { UserSync: { IsEnabled: true } } } };
    const withContacts = await setUp({ threecx: old });
    const failing = await withContacts.doctor();
    expect(failing.code).toBe(1);
    expect(line(failing.lines, "3cx-version")).toBe(
      "FAIL 3cx-version: 3CX 20.0.8.1109, older than 20.0.9 (no personal contacts in its XAPI) -> " +
        "update the PBX to 20.0.9 or newer, or set syncPersonalContacts: false",
    );
    expect(line(failing.lines, "3cx-own-google-sync")).toBe(
      "WARN 3cx-own-google-sync: 3CX's own Google integration has Sync Google Users on: it would fight gw3cx over the same users -> " +
        "3CX Admin > Users > Google: switch off Sync Google Users",
    );
    await tearDown();

    const withoutContacts = await setUp({ threecx: old, settings: { syncPersonalContacts: false } });
    const noted = await withoutContacts.doctor();
    expect(line(noted.lines, "3cx-version")).toMatch(
      /^INFO 3cx-version: 3CX 20\.0\.8\.1109, .*personal contacts are off$/,
    );
    expect(line(noted.lines, "google-api-people")).toBe("");
  });

  it("an expired watch channel and a dead letter fail their checks; a held run is named with its approve command", async () => {
    const pbx = await setUp();
    const now = Date.now();
    await pbx.withState(async (state) => {
      const channels = new ChannelStore(state);
      for (const event of ["add", "update", "delete", "undelete"]) {
        await channels.save({
          channelId: `ch-${event}`,
          resourceId: `r-${event}`,
          kind: "directory",
          event,
          expiration: new Date(event === "delete" ? now - 60_000 : now + 86_400_000),
          createdAt: new Date(now - 86_400_000),
        });
      }
      await new DeadLetterLog(state).record(TOPICS.directoryChanges, {
        id: "m-1",
        data: Buffer.from("{}"),
        attributes: { deadLetterReason: "MALFORMED_MESSAGE: googleUserId is missing" },
        deliveryAttempt: 1,
        publishTime: new Date(now),
      });
      await new SyncRunStore(state).start({
        runId: "20261127T020000-daily-held",
        trigger: "daily",
        status: "held",
        startedAt: new Date(now - 3_600_000).toISOString(),
        finishedAt: new Date(now - 3_500_000).toISOString(),
        errors: [],
      });
    });
    const result = await pbx.doctor();
    expect(result.code).toBe(1);
    expect(line(result.lines, "directory-channels")).toMatch(
      /^FAIL directory-channels: no live Directory channel for delete \(1 expired\): .* -> the renewal runs nightly/,
    );
    expect(line(result.lines, "dead-letters")).toBe(
      "FAIL dead-letters: 1 on gw3cx-directory-changes (newest: MALFORMED_MESSAGE: googleUserId is missing) -> " +
        "`gw3cx status` lists them with their reasons; fix the cause and run `gw3cx sync` (a dead letter is never retried; " +
        "the cloud's hold subscriptions keep them 7 days)",
    );
    expect(line(result.lines, "last-runs")).toBe(
      "FAIL last-runs: the last daily run 20261127T020000-daily-held is held -> review the users it would disable " +
        "(`gw3cx status`), then `gw3cx sync --approve 20261127T020000-daily-held`",
    );
  });

  it("bad settings are FAIL lines naming the setting and the value, not a crash (exit 78)", async () => {
    const pbx = await setUp({ settings: { safeguard: { maxDisableCount: -3 }, timeZone: "Mars/Olympus" } });
    const result = await pbx.doctor("--json");
    expect(result.code).toBe(78);
    expect(result.stderr).toBe("");
    const { ok, checks } = JSON.parse(result.stdout) as { ok: boolean; checks: CheckResult[] };
    expect(ok).toBe(false);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ["settings-valid", "fail"],
      ["settings-valid", "fail"],
    ]);
    expect(checks.map((c) => c.found).join("\n")).toMatch(
      /safeguard\.maxDisableCount \(.*settings\.json\) = -3: /,
    );
    expect(checks.map((c) => c.found).join("\n")).toMatch(
      /timeZone \(.*settings\.json\) = "Mars\/Olympus": /,
    );
  });

  it("settings a deployment needs but does not have fail the settings line and the checks that need them", async () => {
    const pbx = await setUp();
    const file = pbx.env.GW3CX_CONFIG as string;
    writeFileSync(file, JSON.stringify({ threecx: { url: "https://pbx.example.com" } }));
    const result = await pbx.doctor();
    expect(result.code).toBe(1);
    expect(line(result.lines, "settings-valid")).toMatch(
      /^FAIL settings-valid: .* but threecx\.clientId, threecx\.clientSecret, google\.adminSubject, google\.serviceAccountEmail are not set -> /,
    );
    expect(line(result.lines, "3cx-reachable")).toMatch(
      /^FAIL 3cx-reachable: threecx\.clientSecret = \(missing\): /,
    );
    expect(line(result.lines, "delegation")).toMatch(
      /^FAIL delegation: google\.serviceAccountEmail = \(missing\): /,
    );
  });

  it("an unreachable PBX and a hanging Google API fail fast while every other check still reports", async () => {
    const port = await refusingPort();
    const pbx = await setUp({ settings: {} });
    pbx.sims.google.tenant.faults.addRouteFault({ operation: "directory.users.list", latencyMs: 10_000 });
    const settingsFile = pbx.env.GW3CX_CONFIG as string;
    const settings = JSON.parse(JSON.stringify(pbx.sims.settings)) as { threecx: { url: string } };
    settings.threecx.url = `http://127.0.0.1:${port}`;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, gcp: { projectId: "acme-gw3cx" } }));
    const started = Date.now();
    const result = await pbx.doctor("--timeout", "2");
    const took = Date.now() - started;
    expect(result.code).toBe(1);
    expect(line(result.lines, "3cx-reachable")).toMatch(
      new RegExp(`^FAIL 3cx-reachable: http://127\\.0\\.0\\.1:${port} does not answer: .*ECONNREFUSED`),
    );
    // Its request gives up just before the check's own bound, so the line says what timed out.
    expect(line(result.lines, "google-api-directory")).toMatch(
      /^FAIL google-api-directory: .*(timeout|no answer)/i,
    );
    expect(line(result.lines, "delegation")).toMatch(/^PASS /);
    expect(line(result.lines, "google-api-calendar")).toMatch(/^PASS /);
    // Checks run at once: the whole run is about one check's timeout, not the sum of them.
    expect(took).toBeLessThan(8_000);
  });
});

describe("gw3cx doctor on `npm start`'s embedded default", () => {
  it("passes every check against the running demo", { timeout: 60_000 }, async () => {
    // See start-cli.test.ts: the second terminal finds the stack through local.json beside the state.
    const { spawnCli, cliEnv } = await import("../cli/run-cli.js");
    const stateDir = mkdtempSync(join(tmpdir(), "gw3cx-doctor-start-"));
    dir = stateDir;
    const env = cliEnv({ GW3CX_STATE_DB: join(stateDir, "state.db") });
    const child = spawnCli(["start"], env);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${stdout}`)), 40_000);
        child.stdout?.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes("Stop with Ctrl+C")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const result = await runCli(["doctor", "--json"], env);
      const { ok, checks } = JSON.parse(result.stdout) as { ok: boolean; checks: CheckResult[] };
      expect(checks.filter((c) => c.status !== "pass")).toEqual([]);
      expect(ok).toBe(true);
      expect(result.code).toBe(0);
      expect(checks.map((c) => c.name)).toEqual([
        "settings-valid",
        "delegation",
        "google-api-directory",
        "google-api-calendar",
        "google-api-people",
        "3cx-reachable",
        "3cx-api-client",
        "3cx-version",
        "3cx-system-owner",
        "3cx-own-google-sync",
        // The demo transcribes recordings dropped into its storage folder with the offline engine.
        "transcription-engine",
        "directory-channels",
        "calendar-channels",
        "last-runs",
        "dead-letters",
      ]);
      // Doctor fetched its own 3CX token; the running stack still works with the one it shares.
      expect((await runCli(["plan", "--json"], env)).code).toBe(0);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
