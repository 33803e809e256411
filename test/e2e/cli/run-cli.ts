import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The real `gw3cx` bin, as a user would run it. */
export const GW3CX_BIN = fileURLToPath(new URL("../../../shared/cli/gw3cx.mjs", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * An environment with nothing of the outer one's gw3cx settings in it: only what node needs plus
 * what the test gives, so a developer's own GW3CX_* variables cannot change the outcome.
 */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    METADATA_SERVER_DETECTION: "none",
    ...extra,
  };
}

/**
 * A fresh folder with a settings file that points the CLI at these simulators and a state file of
 * its own, and the environment to run the CLI in with it.
 */
export function cliSettingsFor(
  sims: { settings: Record<string, unknown>; env: Record<string, string> },
  prefix: string,
): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const config = join(dir, "settings.json");
  writeFileSync(config, JSON.stringify(sims.settings));
  return { dir, env: cliEnv({ ...sims.env, GW3CX_CONFIG: config, GW3CX_STATE_DB: join(dir, "state.db") }) };
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [GW3CX_BIN, ...args], {
    env,
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs `gw3cx ARGS` to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
