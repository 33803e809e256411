import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { cliEnv, cliSettingsFor, GW3CX_BIN, REPO_ROOT, runCli } from "./run-cli.js";

const hasJq = spawnSync("jq", ["--version"]).status === 0;
const hasScript = spawnSync("script", ["--version"]).status === 0;

/** stdout must be exactly one JSON document; `jq` (when installed) must read it as a user would pipe it. */
function parseStdout(stdout: string): Record<string, unknown> {
  const value = JSON.parse(stdout) as Record<string, unknown>;
  if (hasJq) {
    const jq = spawnSync("jq", ["-e", 'type == "object"'], { input: stdout, encoding: "utf8" });
    expect(jq.stdout.trim()).toBe("true");
  }
  return value;
}

/**
 * `--json` is the documented way for scripts: whatever else happens (log lines with --verbose,
 * progress on a terminal, errors), stdout holds one JSON document and nothing else.
 */
describe("--json prints only JSON on stdout", () => {
  let sims: DemoSimulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sims = await startDemoSimulators();
    ({ dir, env } = cliSettingsFor(sims, "gw3cx-json-"));
  });

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("plan --json --verbose: the plan on stdout, the log lines on stderr", async () => {
    const result = await runCli(["plan", "--json", "--verbose"], env);
    expect(result.code).toBe(0);
    const plan = parseStdout(result.stdout);
    expect(plan.creates).toHaveLength(47);
    // The log lines exist; they just are not on stdout.
    expect(result.stderr).toMatch(/"severity"/);
  });

  it.skipIf(!hasScript)(
    "sync --json on a terminal with stdout piped: progress on the terminal, only the run on stdout",
    async () => {
      const out = join(dir, "sync.json");
      // `script` gives the command a terminal; stdout is redirected to a file as `| jq` would take it.
      const command = `'${process.execPath}' '${GW3CX_BIN}' sync --json --verbose > '${out}'`;
      // Not spawnSync: the simulators run in this process and must keep answering.
      const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
        cwd: REPO_ROOT,
        env: { ...env, TERM: "xterm" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let shown = "";
      child.stdout.on("data", (chunk: Buffer) => {
        shown += chunk.toString();
      });
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      const terminal = { status, stdout: shown };
      expect(terminal.status, terminal.stdout).toBe(0);
      const run = parseStdout(readFileSync(out, "utf8"));
      expect(run).toMatchObject({ status: "applied", counts: { creates: 47, adoptions: 1 } });
      // What the terminal showed: the progress bar and the log lines, both from stderr.
      expect(terminal.stdout).toContain("applying");
      expect(terminal.stdout).toMatch(/"severity"/);
    },
  );

  it("sync --json --verbose and status --json --verbose: one JSON document each", async () => {
    const sync = await runCli(["sync", "--json", "--verbose"], env);
    expect(sync.code).toBe(0);
    expect(parseStdout(sync.stdout)).toMatchObject({ status: "applied" });
    const status = await runCli(["status", "--json", "--verbose"], env);
    expect(status.code).toBe(0);
    expect(parseStdout(status.stdout).runs).toEqual(expect.any(Array));
  });

  it("nothing configured: the error as JSON on stdout, the sentence on stderr, exit 78", async () => {
    const empty = mkdtempSync(join(tmpdir(), "gw3cx-json-empty-"));
    try {
      const result = await runCli(["status", "--json"], cliEnv({ GW3CX_STATE_DB: join(empty, "state.db") }));
      expect(result.code).toBe(78);
      expect(parseStdout(result.stdout)).toMatchObject({
        error: { code: "NOT_CONFIGURED", message: expect.stringContaining("npm start") },
      });
      expect(result.stderr).toContain("gw3cx: NOT_CONFIGURED:");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("an invalid setting: the error and each problem as JSON, exit 78", async () => {
    const result = await runCli(["plan", "--json"], { ...env, GW3CX_SAFEGUARD_MAX_DISABLE_COUNT: "many" });
    expect(result.code).toBe(78);
    expect(parseStdout(result.stdout)).toMatchObject({
      error: {
        code: "CONFIG_INVALID",
        problems: [expect.objectContaining({ setting: "safeguard.maxDisableCount", value: '"many"' })],
      },
    });
  });
});
