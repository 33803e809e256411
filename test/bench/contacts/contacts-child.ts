/**
 * One run in a process of its own (forked by the contacts suite), so its wall time does not share an
 * event loop with the simulators and its peak RSS is that run's alone.
 * Input: argv[2] = JSON ContactsChildInput. Output: one ContactsChildResult over IPC.
 * mode "users": the user sync that links everyone first (not measured); "contacts": syncAllContacts,
 * every user (as `gw3cx contacts sync` and `npm start` run it) or one (`onlyEmail`: what one
 * gw3cx-contacts-worker delivery does for its user).
 */
import { subscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { createEmbeddedRuntime } from "../../../shared/runtime/embedded-runtime.js";
import { syncAllContacts } from "../../../shared/usecases/contacts/sync-all-contacts.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { stderrDestination } from "../user-sync/fixtures.js";

export interface ContactsChildInput {
  mode: "users" | "contacts";
  base: Record<string, unknown>;
  env: Record<string, string>;
  onlyEmail?: string;
}

export interface ContactsChildResult {
  wallMs: number;
  status: string;
  users?: Record<string, number>;
  contacts?: Record<string, number>;
  /** Requests the process sent during the run, by "METHOD /path" (ids and quoted arguments folded). */
  requests: Record<string, number>;
  /** Most requests of this process in flight at one moment. */
  maxInFlight: number;
  cpuMs: number;
  rssBeforeMb: number;
  rssPeakSampledMb: number;
  vmHwmMb: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

function vmHwmMb(): number {
  const line = readFileSync("/proc/self/status", "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"));
  return line ? Number(line.replace(/\D+/g, "")) / 1024 : Number.NaN;
}

/** "/xapi/v1/Users/Pbx.GetContactsByNumber(number='1001')" -> "/xapi/v1/Users/Pbx.GetContactsByNumber()". */
function routeOf(path: string): string {
  return (path.split("?")[0] ?? "").replace(/\([^)]*\)/g, "()").replace(/\/\d+(?=\/|$)/g, "/N");
}

const input = JSON.parse(process.argv[2] ?? "{}") as ContactsChildInput;
const env = { ...process.env, ...input.env };
const settings = loadSettings({ env, base: input.base });
const logger = createLogger({ component: "gw3cx-bench" }, { level: "error", destination: stderrDestination });

// Counted, not kept: a million-contact run must not hold a record per request in the memory it measures.
let counting = false;
const requests: Record<string, number> = {};
let inFlight = 0;
let maxInFlight = 0;
const count = (method: string, path: string) => {
  const key = `${method} ${routeOf(path)}`;
  requests[key] = (requests[key] ?? 0) + 1;
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
};
const tracked = new WeakSet<object>();
// undici's channels for global fetch (the Google clients), node:http's for the 3CX client.
subscribe("undici:request:create", (message) => {
  const { request } = message as { request: { method: string; path: string } };
  if (!counting) return;
  tracked.add(request);
  count(request.method, request.path);
});
const undiciDone = (message: unknown) => {
  const { request } = message as { request: object };
  if (tracked.delete(request)) inFlight--;
};
subscribe("undici:request:trailers", undiciDone);
subscribe("undici:request:error", undiciDone);
subscribe("http.client.request.start", (message) => {
  const { request } = message as { request: { method: string; path: string } };
  if (!counting) return;
  tracked.add(request);
  count(request.method, request.path);
});
subscribe("http.client.response.finish", (message) => {
  const { request, response } = message as { request: object; response: NodeJS.EventEmitter };
  if (tracked.has(request))
    response.once("end", () => {
      if (tracked.delete(request)) inFlight--;
    });
});

const runtime = await createEmbeddedRuntime(settings, logger, { env });
let rssPeak = process.memoryUsage.rss();
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}, 50);
const rssBefore = process.memoryUsage.rss();
counting = true;
const t0 = performance.now();
const cpuBefore = process.cpuUsage();
let out: Pick<ContactsChildResult, "status" | "users" | "contacts">;
if (input.mode === "users") {
  const result = await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
  out = { status: result.run.status };
} else {
  const result = await syncAllContacts(runtime.contacts, runtime.contactsConfig, {
    trigger: "daily",
    onlyEmail: input.onlyEmail,
  });
  out = {
    status: result.run.status,
    users: result.run.users as unknown as Record<string, number>,
    contacts: result.run.contacts as unknown as Record<string, number>,
  };
}
const wallMs = performance.now() - t0;
counting = false;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

const result: ContactsChildResult = {
  ...out,
  wallMs,
  requests,
  maxInFlight,
  cpuMs: (cpu.user + cpu.system) / 1000,
  rssBeforeMb: mb(rssBefore),
  rssPeakSampledMb: mb(rssPeak),
  vmHwmMb: vmHwmMb(),
};
await runtime.close();
process.send?.(result, () => process.exit(0));
