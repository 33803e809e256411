import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { UserSyncPlan } from "../../../shared/domain/user-sync/user-sync-plan.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import { cliEnv, runCli, spawnCli } from "./run-cli.js";

/** Resolves with stdout so far once it matches, or rejects when the process ends or time runs out. */
function waitForOutput(
  child: ReturnType<typeof spawnCli>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (pattern.test(stdout)) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    child.on("exit", (code) => reject(new Error(`gw3cx start exited with ${code}:\n${stdout}\n${stderr}`)));
  });
}

/** `npm start` in one terminal, `gw3cx status | plan` in a second, then Ctrl+C (SIGTERM here). */
describe("gw3cx start", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-start-"));
  // No tenant configured: start runs the bundled simulators; the CLI finds them through local.json.
  const env = cliEnv({ GW3CX_STATE_DB: join(dir, "state.db") });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("without a running stack or a tenant, the CLI says to run npm start or configure one (exit 78)", async () => {
    const result = await runCli(["status"], env);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain("Run `npm start` in another terminal first");
    expect(result.stderr).toContain("threecx.url");
  });

  it("prints where to look, serves the status page and the second terminal, and stops cleanly on SIGTERM", async () => {
    const child = spawnCli(["start"], env);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const stdout = await waitForOutput(child, /Stop with Ctrl\+C/, 30_000);
      const statusUrl = /Status page\s+(http:\/\/\S+)/.exec(stdout)?.[1] as string;
      const googleUrl = /Workspace sim\s+(http:\/\/\S+)/.exec(stdout)?.[1] as string;
      const threecxUrl = /3CX sim\s+(http:\/\/\S+)/.exec(stdout)?.[1] as string;
      expect(stdout).toMatch(/First sync \S+: applied, 47 created, 1 adopted/);
      expect(stdout).toContain(`${threecxUrl}/_sim/state`);
      expect(stdout).toContain(`curl -X PATCH ${googleUrl}/_sim/users/ada.lovelace.0@example.com`);
      expect(existsSync(join(dir, "local.json"))).toBe(true);

      const page = await fetch(statusUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<strong>48</strong> 3CX users managed");

      // A second terminal: the same stack, with nothing configured but the state directory.
      const status = await runCli(["status", "--json"], env);
      expect(status.code).toBe(0);
      const runs = (JSON.parse(status.stdout) as Gw3cxStatus).runs;
      expect(runs[0]).toMatchObject({ status: "applied", applied: { creates: 47, adoptions: 1 } });
      const plan = await runCli(["plan", "--json"], env);
      expect(plan.code).toBe(0);
      expect((JSON.parse(plan.stdout) as UserSyncPlan).creates).toEqual([]);

      // Real time: a change through the simulator's admin API reaches 3CX within a second.
      const changed = await fetch(`${googleUrl}/_sim/users/ada.lovelace.0@example.com`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ givenName: "Ada2" }),
      });
      expect(changed.ok).toBe(true);
      const deadline = Date.now() + 1000;
      let firstName: unknown;
      while (Date.now() < deadline && firstName !== "Ada2") {
        const state = (await (await fetch(`${threecxUrl}/_sim/state`)).json()) as {
          users: { EmailAddress: string; FirstName: string }[];
        };
        firstName = state.users.find((u) => u.EmailAddress === "ada.lovelace.0@example.com")?.FirstName;
        if (firstName !== "Ada2") await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(firstName).toBe("Ada2");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "local.json"))).toBe(false);

    // Stopped: the second terminal is told so again.
    expect((await runCli(["status"], env)).code).toBe(78);
  });
});
