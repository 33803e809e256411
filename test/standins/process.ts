import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

export interface RunningStandIn {
  name: string;
  /** host:port on loopback. */
  host: string;
  /** A second address the ready line announced (a stand-in's admin endpoint), if any. */
  admin?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a stand-in as a child process and waits for the line that announces its address (the
 * first group of `ready`; a second group, if any, is its admin address).
 * Its PID is kept so it can be stopped even if the test run fails half-way.
 */
export async function startProcess(
  name: string,
  command: string,
  args: string[],
  ready: RegExp,
  timeoutMs = 20_000,
): Promise<RunningStandIn> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } });
  let output = "";
  const [host, admin] = await new Promise<[string, string | undefined]>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n--- ${name} output ---\n${output}`));
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve([match[1], match[2]]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`${name} exited with code ${code} before it was ready`)));
  });
  child.removeAllListeners("exit");
  return { name, host, ...(admin ? { admin } : {}), pid: child.pid as number, stop: () => stopChild(child) };
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}
