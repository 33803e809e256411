/**
 * Boundary lateness on the single machine, for the boundary-lateness suite: the embedded runtime's
 * own TimerBoundaryScheduler and bus, and the whole path from a meeting's end to 3CX.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import { createEmbeddedRuntime } from "../../../shared/runtime/embedded-runtime.js";
import { startDemoSimulators } from "../../../shared/simulators/demo/start-demo-simulators.js";
import { percentile } from "../bench-suite.js";
import type { Figures } from "../suites/boundary-lateness.js";
import { stderrDestination } from "../user-sync/fixtures.js";
import { HttpTimeline, hostOf } from "./http-timeline.js";
import { startPresenceBenchWorld } from "./presence-bench-world.js";

export const EMBEDDED_SPREAD_WINDOW_MS = 10_000;
const DND = "Out of office";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (v: number) => Number(v.toFixed(0));
const rfc3339 = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

function figures(scenario: string, count: number, lateness: number[], scheduleTimes: number[]): Figures {
  const sorted = [...lateness].sort((a, b) => a - b);
  return {
    scenario,
    count,
    delivered: sorted.length,
    early: sorted.filter((l) => l < 0).length,
    p50: ms(percentile(sorted, 50)),
    p99: ms(percentile(sorted, 99)),
    max: ms(sorted.at(-1) ?? Number.NaN),
    scheduleMsP50:
      scheduleTimes.length === 0
        ? Number.NaN
        : Number(
            percentile(
              [...scheduleTimes].sort((a, b) => a - b),
              50,
            ).toFixed(1),
          ),
  };
}

/**
 * Wake-ups through the embedded runtime as `npm start` builds it: runtime.scheduler (timers kept in
 * the SQLite state) publishes each due wake-up to gw3cx-calendar-changes; a subscriber there (in
 * place of the presence worker) takes the arrival time.
 */
export async function embeddedTimerScenario(name: string, instants: number[]): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-timers-"));
  const sims = await startDemoSimulators();
  const env = { ...process.env, ...sims.env };
  const settings = loadSettings({
    env,
    base: { ...sims.settings, logLevel: "error", embedded: { stateDbPath: join(dir, "timers.db") } },
  });
  const logger = createLogger(
    { component: "gw3cx-bench" },
    { level: "error", destination: stderrDestination },
  );
  const runtime = await createEmbeddedRuntime(settings, logger, { env });
  try {
    const atOf = new Map<string, number>();
    const lateness: number[] = [];
    await runtime.presence.bus.subscribe(
      { topic: TOPICS.calendarChanges, name: "bench-boundaries" },
      async (message) => {
        const receivedAt = Date.now();
        const { googleUserId } = JSON.parse(message.data.toString("utf8")) as { googleUserId: string };
        const at = atOf.get(googleUserId);
        if (at !== undefined) lateness.push(receivedAt - at);
        return "ack";
      },
    );
    await runtime.scheduler.start();
    const scheduleTimes: number[] = [];
    await Promise.all(
      instants.map(async (at, n) => {
        const googleUserId = `bench-${n}`;
        atOf.set(googleUserId, at);
        const started = performance.now();
        await runtime.scheduler.schedule({ googleUserId, at });
        scheduleTimes.push(performance.now() - started);
      }),
    );
    const deadline = Math.max(...instants) + 60_000;
    await until(() => lateness.length >= instants.length || Date.now() > deadline, 120_000);
    return figures(name, instants.length, lateness, scheduleTimes);
  } finally {
    await runtime.close();
    await sims.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The whole single-machine path at a boundary: `users` people in a meeting that ends at the same
 * second; each end is a timer of the embedded runtime -> bus -> presence worker -> calendar read ->
 * 3CX read -> the restoring PATCH, whose arrival at the 3CX simulator is the user's lateness.
 */
export async function embeddedMeetingsEnd(
  users: number,
): Promise<{ figures: Figures; users: number; perUser: string }> {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-meetings-end-"));
  const world = await startPresenceBenchWorld({ users, dir, name: "meetings-end" });
  const timeline = new HttpTimeline();
  try {
    const people = world.users.slice(0, users);
    // Whole seconds: event times travel as RFC 3339 without milliseconds.
    const end = Math.ceil((Date.now() + 10_000) / 1000) * 1000;
    for (const user of people) {
      world.sims.google.tenant.addEvent(user.email, {
        summary: "Ends on the hour",
        start: { dateTime: rfc3339(Date.now() - 60_000) },
        end: { dateTime: rfc3339(end) },
      });
    }
    const allInDnd = await until(() => people.every((u) => world.profileOf(u) === DND), end - Date.now());
    if (!allInDnd) throw new Error("not every user was in DND before the meetings ended");
    await sleep(200);
    timeline.clear();
    const before = { ...world.sims.threecx.stats.requests };
    const googleBefore = world.sims.google.requests.length;
    await until(() => people.every((u) => world.profileOf(u) !== DND), end - Date.now() + 60_000);
    await sleep(200);
    const pbxHost = hostOf(world.sims.threecx.url);
    const restoredAt = new Map<number, number>();
    // performance.now() of the marks against the wall clock of the meeting's end.
    const wallOffset = Date.now() - performance.now();
    for (const m of timeline.marks) {
      if (m.side !== "arrived" || m.host !== pbxHost || m.method !== "PATCH") continue;
      const id = /Users\((\d+)\)/.exec(m.path)?.[1];
      if (id) restoredAt.set(Number(id), m.atMs + wallOffset);
    }
    const lateness = people
      .map((u) => restoredAt.get(u.threecxId))
      .filter((at): at is number => at !== undefined)
      .map((at) => at - end);
    const threecx = Object.entries(world.sims.threecx.stats.requests)
      .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
      .filter(([, n]) => n > 0);
    const google: Record<string, number> = {};
    for (const r of world.sims.google.requests.slice(googleBefore))
      google[r.operation] = (google[r.operation] ?? 0) + 1;
    const perUser = [
      ...Object.entries(google).map(([op, n]) => `Workspace ${op} ${Number((n / users).toFixed(2))}`),
      ...threecx.map(([op, n]) => `3CX ${op} ${Number((n / users).toFixed(2))}`),
    ].join(", ");
    return {
      figures: figures(
        `embedded runtime end to end: ${users} meetings end at once (restoring PATCH at 3CX)`,
        users,
        lateness,
        [],
      ),
      users,
      perUser,
    };
  } finally {
    timeline.close();
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
