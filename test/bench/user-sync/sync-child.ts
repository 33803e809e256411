/**
 * One syncAllUsers run in a process of its own (forked by the user-sync suite), so its wall time
 * does not share an event loop with the simulators and its peak RSS is that run's alone.
 * Input: argv[2] = JSON ChildInput. Output: one ChildResult over IPC.
 */
import { subscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { createEmbeddedRuntime } from "../../../shared/runtime/embedded-runtime.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { stderrDestination } from "./fixtures.js";

export interface ChildInput {
  base: Record<string, unknown>;
  env: Record<string, string>;
  /** Also time a second run in the same, now warm, process (after the memory figures are taken). */
  warmRun?: boolean;
}

/** One HTTP request as the process sent it. */
export interface TimedCall {
  method: string;
  url: string;
  startMs: number;
  endMs: number;
}

export interface ChildResult {
  wallMs: number;
  status: string;
  counts?: Record<string, number>;
  applied?: Record<string, number>;
  errors: number;
  firstError?: string;
  threecxRequests: Record<string, { requests: number; retries: number }>;
  /** HTTP requests made during the run, times relative to its start. */
  calls: TimedCall[];
  /** CPU this process used during the run (user + system), ms. */
  cpuMs: number;
  /** When each read finished, ms from the start of the run. */
  phases: { directoryPages: Array<[number, number]>; threecxUsersDone?: number; threecxDnsDone?: number };
  rssBeforeMb: number;
  rssPeakSampledMb: number;
  vmHwmMb: number;
  heapUsedAfterMb: number;
  /** The second run's wall time, when asked for: what a warm instance (or `npm start`) sees. */
  warmWallMs?: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

function vmHwmMb(): number {
  const line = readFileSync("/proc/self/status", "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"));
  return line ? Number(line.replace(/\D+/g, "")) / 1024 : Number.NaN;
}

const input = JSON.parse(process.argv[2] ?? "{}") as ChildInput;
const env = { ...process.env, ...input.env };
const settings = loadSettings({ env, base: input.base });
const logger = createLogger({ component: "gw3cx-bench" }, { level: "error", destination: stderrDestination });
// Every HTTP request the process makes, from the diagnostics channels: undici's for global fetch
// (the Google clients), node:http's for the 3CX client.
let t0 = 0;
const calls: TimedCall[] = [];
type Started = Omit<TimedCall, "endMs">;
const started = new WeakMap<object, Started>();
type UndiciRequest = { method: string; origin: string; path: string };
subscribe("undici:request:create", (message) => {
  const { request } = message as { request: UndiciRequest };
  if (t0 > 0) {
    const url = `${request.origin}${request.path}`;
    started.set(request, { method: request.method, url, startMs: performance.now() - t0 });
  }
});
const done = (message: unknown) => {
  const { request } = message as { request: UndiciRequest };
  const start = started.get(request);
  if (start) calls.push({ ...start, endMs: performance.now() - t0 });
};
subscribe("undici:request:trailers", done);
subscribe("undici:request:error", done);
type HttpClientRequest = {
  method: string;
  protocol: string;
  host: string;
  path: string;
  getHeader(name: string): unknown;
};
const httpStarted = new WeakMap<object, Started>();
subscribe("http.client.request.start", (message) => {
  const { request } = message as { request: HttpClientRequest };
  if (t0 > 0) {
    const host = String(request.getHeader("host") ?? request.host);
    const url = `${request.protocol}//${host}${request.path}`;
    httpStarted.set(request, { method: request.method, url, startMs: performance.now() - t0 });
  }
});
// Published when the answer's headers are in: the call ends when its body has been read.
subscribe("http.client.response.finish", (message) => {
  const { request, response } = message as { request: object; response: NodeJS.EventEmitter };
  const start = httpStarted.get(request);
  if (start) response.once("end", () => calls.push({ ...start, endMs: performance.now() - t0 }));
});

const runtime = await createEmbeddedRuntime(settings, logger, { env });

// Phase marks: the Directory pages and the 3CX listings, wrapped on the port objects.
const phases: ChildResult["phases"] = { directoryPages: [] };
const directory = runtime.userSync.directory as unknown as {
  listUsersPage: (...args: unknown[]) => Promise<unknown>;
};
const listUsersPage = directory.listUsersPage.bind(directory);
directory.listUsersPage = async (...args) => {
  const start = performance.now() - t0;
  const page = await listUsersPage(...args);
  phases.directoryPages.push([start, performance.now() - t0]);
  return page;
};
const threecx = runtime.userSync.threecx;
const listUsers = threecx.listUsers.bind(threecx);
const listDns = threecx.listDns.bind(threecx);
threecx.listUsers = async (...args) => {
  const users = await listUsers(...args);
  if (args.length === 0) phases.threecxUsersDone = performance.now() - t0;
  return users;
};
threecx.listDns = async (...args) => {
  const dns = await listDns(...args);
  phases.threecxDnsDone = performance.now() - t0;
  return dns;
};

let rssPeak = process.memoryUsage.rss();
// memoryUsage.rss() reads one number; memoryUsage() walks the heap spaces on the measured loop.
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}, 50);
const rssBefore = process.memoryUsage.rss();
t0 = performance.now();
const cpuBefore = process.cpuUsage();
const result = await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

const out: ChildResult = {
  wallMs,
  status: result.run.status,
  counts: result.run.counts as unknown as Record<string, number> | undefined,
  applied: result.run.applied as unknown as Record<string, number> | undefined,
  errors: result.run.errors.length,
  firstError: result.run.errors[0] ? JSON.stringify(result.run.errors[0]) : undefined,
  threecxRequests: runtime.threecx.requests.snapshot(),
  calls,
  cpuMs: (cpu.user + cpu.system) / 1000,
  phases,
  rssBeforeMb: mb(rssBefore),
  rssPeakSampledMb: mb(rssPeak),
  vmHwmMb: vmHwmMb(),
  heapUsedAfterMb: mb(process.memoryUsage().heapUsed),
};
if (input.warmRun) {
  const t1 = performance.now();
  await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
  out.warmWallMs = performance.now() - t1;
}
await runtime.close();
process.send?.(out, () => process.exit(0));
