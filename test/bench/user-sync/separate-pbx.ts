/**
 * The 3CX simulator in a process of its own, for the benchmark: a real PBX is another machine, so
 * its work must not share an event loop with the Workspace simulator's (which would delay Google's
 * answers and be counted against gw3cx). Driven through the simulator's HTTP admin API.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";

export interface SeparatePbx {
  url: string;
  addLatency(ms: number): Promise<void>;
  /** Requests served so far, by operation. */
  requests(): Promise<Record<string, number>>;
  /** CPU the simulator process has used, ms. */
  cpuMs(): number;
  close(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

export async function startSeparatePbx(seed: ThreeCxSeed, dir: string, root: string): Promise<SeparatePbx> {
  const seedFile = join(dir, "pbx-seed.json");
  writeFileSync(seedFile, JSON.stringify(seed));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      ...(process.env.GW3CX_BENCH_CHILD_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.GW3CX_BENCH_CHILD_PROF}`]
        : []),
      "shared/simulators/threecx/main.ts",
      "--seed",
      seedFile,
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) =>
      reject(new Error(`the 3CX simulator exited (${code}) before it was ready: ${output}`)),
    );
  });
  child.removeAllListeners("exit");
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`3CX simulator ${method} ${path}: HTTP ${response.status}`);
    return response.status === 204 ? undefined : ((await response.json()) as unknown);
  };
  return {
    url,
    addLatency: async (ms) => {
      await admin("POST", "/_sim/faults", { latencyMs: ms });
    },
    requests: async () =>
      ((await admin("GET", "/_sim/stats")) as { requests: Record<string, number> }).requests,
    cpuMs: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the command name).
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    },
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
