/**
 * One phase of the presence scale benchmark in a process of its own (forked by presence-scale.ts),
 * on the embedded runtime and a SQLite state file the phases share, so each phase's peak RSS is its
 * own and it starts as a fresh instance would (no cached tokens):
 *   link      syncAllUsers: every Workspace user linked to its 3CX user (set-up, not measured);
 *   channels  maintainCalendarChannels at the product's pace, on a test clock (below);
 *   resync    resyncCalendars: every calendar read whole and applied (the nightly run's part).
 * Input: argv[2] = JSON ScaleChildInput. Output: one ScaleChildResult over IPC.
 */
import { readFileSync } from "node:fs";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { createLogger } from "../../../shared/logging/logger.js";
import type { Clock } from "../../../shared/ports/clock.js";
import { createEmbeddedRuntime } from "../../../shared/runtime/embedded-runtime.js";
import {
  CALENDAR_CHANNEL_CALLS_PER_SECOND,
  maintainCalendarChannels,
} from "../../../shared/usecases/presence/calendar-channels.js";
import { resyncCalendars } from "../../../shared/usecases/presence/resync-calendars.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { stderrDestination } from "../user-sync/fixtures.js";

export type ScalePhase = "link" | "channels" | "resync";

export interface ScaleChildInput {
  phase: ScalePhase;
  base: Record<string, unknown>;
  env: Record<string, string>;
  webhookUrl: string;
}

export interface ScaleChildResult {
  phase: ScalePhase;
  wallMs: number;
  /** Channels: the time the pace made the test clock wait, ms (what the wall time would add). */
  pacedWaitMs?: number;
  callsPerSecond?: number;
  outcome: Record<string, unknown>;
  cpuMs: number;
  rssBeforeMb: number;
  vmHwmMb: number;
}

/**
 * A clock whose sleeps take no real time: now() runs ahead by what the sleepers asked for, the way
 * the pace would have held them. Every sleep ends at its own instant on this clock, so concurrent
 * sleepers (p-limit workers) advance it to the latest end, never to the sum of their waits.
 */
export class PacedTestClock implements Clock {
  private aheadMs = 0;

  now(): Date {
    return new Date(Date.now() + this.aheadMs);
  }

  async sleep(ms: number): Promise<void> {
    const until = this.now().getTime() + ms;
    this.aheadMs = Math.max(this.aheadMs, until - Date.now());
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** How far the clock ran ahead of the real one. */
  get waitedMs(): number {
    return this.aheadMs;
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;

function vmHwmMb(): number {
  const line = readFileSync("/proc/self/status", "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"));
  return line ? Number(line.replace(/\D+/g, "")) / 1024 : Number.NaN;
}

const input = JSON.parse(process.argv[2] ?? "{}") as ScaleChildInput;
const env = { ...process.env, ...input.env };
const settings = loadSettings({ env, base: input.base });
const logger = createLogger({ component: "gw3cx-bench" }, { level: "error", destination: stderrDestination });
const runtime = await createEmbeddedRuntime(settings, logger, { env });

const rssBefore = process.memoryUsage.rss();
const cpuBefore = process.cpuUsage();
const t0 = performance.now();
let outcome: Record<string, unknown>;
let pacedWaitMs: number | undefined;
if (input.phase === "link") {
  const result = await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
  outcome = { status: result.run.status, ...(result.run.applied ?? {}) };
} else if (input.phase === "channels") {
  const clock = new PacedTestClock();
  outcome = {
    ...(await maintainCalendarChannels(
      { ...runtime.presence, clock },
      {
        calendarPresence: true,
        webhookUrl: input.webhookUrl,
        channelToken: env.GW3CX_DEMO_CHANNEL_TOKEN as string,
      },
    )),
  };
  pacedWaitMs = clock.waitedMs;
} else {
  outcome = { ...(await resyncCalendars(runtime.presence, runtime.presenceConfig)) };
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpuBefore);

const out: ScaleChildResult = {
  phase: input.phase,
  wallMs,
  ...(pacedWaitMs === undefined ? {} : { pacedWaitMs, callsPerSecond: CALENDAR_CHANNEL_CALLS_PER_SECOND }),
  outcome,
  cpuMs: (cpu.user + cpu.system) / 1000,
  rssBeforeMb: mb(rssBefore),
  vmHwmMb: vmHwmMb(),
};
await runtime.close();
process.send?.(out, () => process.exit(0));
