/**
 * What a customer sees when things fail for real: a sync killed mid-run shows as abandoned once
 * its heartbeat lapses; a PBX nobody listens on fails the sync within about 10 s on default
 * settings, naming the URL and what was tried; a failing Google fails in the bounds its settings
 * give, saying on the terminal that it is retrying and why.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { renderStatusPage } from "../../../shared/runtime/status-page/render-status-page.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import type { SyncRun } from "../../../shared/usecases/user-sync/sync-run-store.js";
import { readLocalStatus } from "../../support/read-local-status.js";
import { refusingPort } from "../../support/unreachable-ports.js";
import { cliEnv, runCli, spawnCli } from "./run-cli.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe("gw3cx when a run fails for real", () => {
  let sims: DemoSimulators;
  let dir: string;
  let stateDb: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sims = await startDemoSimulators();
    dir = mkdtempSync(join(tmpdir(), "gw3cx-failing-"));
    const config = join(dir, "settings.json");
    writeFileSync(config, JSON.stringify(sims.settings));
    stateDb = join(dir, "state.db");
    env = cliEnv({ ...sims.env, GW3CX_CONFIG: config, GW3CX_STATE_DB: stateDb });
  });

  afterEach(() => {
    sims.threecx.faults.clear();
    sims.google.clearFaults();
  });

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a sync killed with SIGKILL mid-run shows as abandoned once its heartbeat lapses, not running", async () => {
    const lapseMs = 1_500;
    // Every 3CX read hangs, so the run is mid-way for as long as the test needs.
    sims.threecx.faults.add({ operation: ["ListUser", "ListPeer"], latencyMs: 60_000 });
    const child = spawnCli(["sync", "--json"], { ...env, GW3CX_ABANDONED_RUN_AFTER_MS: String(lapseMs) });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const state = new SqliteStateStore(stateDb);
    try {
      await until(() => (sims.threecx.stats.requests.ListUser ?? 0) > 0, 20_000);
      // Alive for longer than the lapse: its heartbeat keeps it "running".
      await sleep(lapseMs * 2);
      const alive = await readLocalStatus(state, new Date());
      const run = alive.runs[0] as SyncRun;
      expect(run).toMatchObject({ trigger: "manual", status: "running", heartbeatLapseMs: lapseMs });
      expect(Date.now() - Date.parse(run.heartbeatAt as string)).toBeLessThan(lapseMs);

      child.kill("SIGKILL");
      await exited;
      await sleep(lapseMs + 200);

      const json = await runCli(["status", "--json"], env);
      expect(json.code).toBe(0);
      const status = JSON.parse(json.stdout) as Gw3cxStatus;
      expect(status.runs[0]).toMatchObject({ runId: run.runId, status: "abandoned" });

      const text = await runCli(["status"], env);
      expect(text.stdout).toContain(run.runId);
      expect(text.stdout).toContain("abandoned");
      expect(text.stdout).not.toMatch(/\brunning\b/);

      const page = renderStatusPage(await readLocalStatus(state, new Date()));
      expect(page).toContain(
        `<tr><td><code>${run.runId}</code></td><td>manual</td><td><span class="badge bad">abandoned</span>`,
      );
      // Derived on reading: the stored record still says where the run stopped.
      expect((await state.get<Record<string, unknown>>("syncRuns", run.runId))?.data.status).toBe("running");
    } finally {
      child.kill("SIGKILL");
      await state.close();
    }
  }, 60_000);

  it("sync against a 3CX URL nobody listens on exits 1 within ~10 s naming the URL and the attempts", async () => {
    const url = `http://127.0.0.1:${await refusingPort()}`;
    const config = join(dir, "refusing-pbx.json");
    writeFileSync(
      config,
      JSON.stringify({ ...sims.settings, threecx: { ...(sims.settings.threecx as object), url } }),
    );
    const started = performance.now();
    const result = await runCli(["sync", "--json"], { ...env, GW3CX_CONFIG: config });
    const seconds = (performance.now() - started) / 1000;
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as SyncRun;
    expect(run).toMatchObject({ status: "failed", errors: [{ code: "THREECX_UNREACHABLE" }] });
    const gaveUp = new RegExp(
      `^gw3cx: THREECX_UNREACHABLE: .*ECONNREFUSED.*PBX ${url}; gave up after 5 attempts in (\\d+\\.\\d) s`,
      "m",
    ).exec(result.stderr);
    expect(gaveUp, result.stderr).not.toBeNull();
    expect(Number(gaveUp?.[1])).toBeLessThan(10);
    // Each retry was announced, with its reason.
    expect(result.stderr).toMatch(/^gw3cx: 3CX \w+ failed \(.*ECONNREFUSED.*\); retrying: attempt 2 of 5$/m);
    // The CLI's own start-up comes on top (seconds on a busy machine, see BENCHMARKS.md).
    expect(seconds).toBeLessThan(20);
  }, 30_000);

  it("a failing Google Directory fails in the configured bounds, announcing each retry on stderr", async () => {
    sims.google.addFault({ operation: "directory.users.list", error: "503" });
    sims.google.resetRequests();
    const running = runCli(["sync", "--json"], {
      ...env,
      GW3CX_GOOGLE_MAX_RETRIES: "2",
      GW3CX_GOOGLE_RETRY_WINDOW_MS: "4000",
    });
    // Timed from the first attempt, so the CLI's start-up does not count.
    await until(() => sims.google.count("directory.users.list") > 0, 20_000);
    const firstAttempt = performance.now();
    const result = await running;
    const seconds = (performance.now() - firstAttempt) / 1000;
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "failed",
      errors: [{ code: "DIRECTORY_UNAVAILABLE" }],
    });
    const notices = result.stderr.match(
      /^gw3cx: Google directory users\.list failed \(HTTP 503.*\); retrying.*$/gm,
    );
    expect(notices).toHaveLength(2);
    expect(notices?.[1]).toContain("attempt 3 of 3");
    expect(result.stderr).toMatch(/^gw3cx: DIRECTORY_UNAVAILABLE: /m);
    expect(sims.google.count("directory.users.list")).toBe(3);
    // Three attempts with 1-2 s and 2-4 s between them, the last wait cut at the 4 s window.
    expect(seconds).toBeGreaterThan(2.9);
    expect(seconds).toBeLessThan(6);
  }, 30_000);
});
