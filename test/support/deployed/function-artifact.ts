import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import extractZip from "extract-zip";
import getPort from "get-port";
import { stopChild } from "../../standins/process.js";

const run = promisify(execFile);

/**
 * Installs a function artifact as the Node.js buildpack does: unpack the uploaded zip into an empty
 * folder and `npm ci --omit=dev` from the artifact's own package.json and lockfile. `--offline`
 * takes the packages from npm's cache (the project's own `npm ci` filled it), so tests stay off the
 * network, and fails if the lockfile names anything the project did not install.
 */
export async function installArtifact(source: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // The zip cdktf uploads, or the folder `npm run build` wrote.
  if (source.endsWith(".zip")) await extractZip(source, { dir });
  else cpSync(source, dir, { recursive: true });
  await run("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    env: { ...process.env, npm_config_update_notifier: "false" },
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface ServingFunction {
  url: string;
  pid: number;
  /** Everything the process printed (the functions log JSON lines on stdout). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts an installed artifact with the Functions Framework CLI, as Cloud Run functions does:
 * its own process, the entry point and signature type from the stack, the given environment only.
 * Resolves when the function answers HTTP; rejects with its output if it exits first.
 */
export async function serveArtifact(
  dir: string,
  options: {
    target: string;
    signatureType: string;
    env: Record<string, string>;
    timeoutMs?: number;
    /** How often to knock while it starts (ms); the start-up figure is this fine. */
    pollMs?: number;
  },
): Promise<ServingFunction> {
  const port = await getPort({ host: "127.0.0.1" });
  // The framework's main.js directly, not `npx functions-framework`: npx leaves a grandchild
  // listening when the parent is stopped.
  const child = spawn(
    process.execPath,
    [
      join(dir, "node_modules/@google-cloud/functions-framework/build/src/main.js"),
      `--target=${options.target}`,
      `--signature-type=${options.signatureType}`,
    ],
    { cwd: dir, env: { ...options.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(child, url, () => output, options.timeoutMs ?? 20_000, options.pollMs ?? 50);
  return {
    url,
    pid: child.pid as number,
    output: () => output,
    stop: () => stopChild(child),
  };
}

async function waitUntilServing(
  child: ChildProcess,
  url: string,
  output: () => string,
  timeoutMs: number,
  pollMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`function exited (${child.exitCode ?? child.signalCode}) before serving:\n${output()}`);
    try {
      // Any HTTP answer means the module loaded and the framework listens.
      await fetch(url, { method: "GET", signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  await stopChild(child);
  throw new Error(`function did not serve within ${timeoutMs} ms:\n${output()}`);
}
