import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliEnv, GW3CX_BIN, REPO_ROOT } from "./run-cli.js";

interface RunningStart {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: () => string;
  stderr: () => string;
}

/** Starts a command in its own process group (as a terminal or a service manager would). */
function startInGroup(command: string, args: string[], env: NodeJS.ProcessEnv): RunningStart {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function waitFor(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The processes of one process group still alive. */
function processesInGroup(pgid: number): number[] {
  const table = execFileSync("ps", ["-e", "-o", "pid=,pgid="], { encoding: "utf8" });
  return table
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, group]) => group === pgid && pid !== undefined)
    .map(([pid]) => pid as number);
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The status page's and both simulators' ports, from what `start` printed. */
function portsPrinted(stdout: string): number[] {
  const ports = [
    ...stdout.matchAll(/(?:Status page|Workspace sim|3CX sim)\s+http:\/\/127\.0\.0\.1:(\d+)/g),
  ].map((match) => Number(match[1]));
  expect(ports).toHaveLength(3);
  return ports;
}

/**
 * Stopping `npm start` the ways it is stopped in real life: SIGTERM to npm (docker, systemd's main
 * process), Ctrl+C (SIGINT to the whole foreground group), SIGTERM to every process of the group
 * (systemd's default), and SIGTERM to the CLI itself. Each must end everything: no process left,
 * every port closed, local.json removed.
 */
describe("stopping npm start", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<{
    name: string;
    command: [string, string[]];
    signal: NodeJS.Signals;
    to: "leader" | "group";
  }> = [
    { name: "SIGTERM to the npm process", command: ["npm", ["start"]], signal: "SIGTERM", to: "leader" },
    { name: "SIGINT to the group (Ctrl+C)", command: ["npm", ["start"]], signal: "SIGINT", to: "group" },
    { name: "SIGTERM to the whole group", command: ["npm", ["start"]], signal: "SIGTERM", to: "group" },
    {
      name: "SIGTERM to gw3cx start itself",
      command: [process.execPath, [GW3CX_BIN, "start"]],
      signal: "SIGTERM",
      to: "leader",
    },
  ];

  for (const { name, command, signal, to } of cases) {
    it(`${name}: everything stops, ports are released and local.json is removed`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "gw3cx-signal-"));
      dirs.push(dir);
      const run = startInGroup(command[0], command[1], cliEnv({ GW3CX_STATE_DB: join(dir, "state.db") }));
      const pgid = run.child.pid as number;
      try {
        await waitFor(
          () => run.stdout().includes("Stop with Ctrl+C"),
          45_000,
          () => run.stdout() + run.stderr(),
        );
        const ports = portsPrinted(run.stdout());
        expect(await Promise.all(ports.map(portAccepts))).toEqual([true, true, true]);
        expect(existsSync(join(dir, "local.json"))).toBe(true);

        process.kill(to === "group" ? -pgid : pgid, signal);
        const exit = await Promise.race([
          run.exited,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`no exit after ${signal}:\n${run.stderr()}`)), 15_000),
          ),
        ]);
        expect(exit).toEqual({ code: 0, signal: null });
        // npm waits for its child, but give the kernel a moment to reap it.
        await waitFor(
          () => processesInGroup(pgid).length === 0,
          2000,
          () => `left running: ${processesInGroup(pgid).join(", ")}`,
        );
        expect(await Promise.all(ports.map(portAccepts))).toEqual([false, false, false]);
        expect(existsSync(join(dir, "local.json"))).toBe(false);
        expect(run.stderr()).toContain(`${signal} received, stopping`);
        expect(run.stderr()).not.toMatch(/\n\s+at /);
      } finally {
        // Only this test's own group, if something above failed.
        if (processesInGroup(pgid).length > 0) process.kill(-pgid, "SIGKILL");
      }
    }, 90_000);
  }
});
