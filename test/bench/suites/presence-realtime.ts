/**
 * Presence in real time, on the single-machine stack with both simulators in this process:
 * 1. the overhead from a Calendar push notification to the PATCH that changes the 3CX profile,
 *    with the injected latency of the calls in between taken out: once on the in-process bus
 *    (the embedded runtime as `npm start` runs it), once through the Pub/Sub stand-in (pstest);
 * 2. 1,000 users' notifications spread over 10 s at 25 ms injected latency: all applied, 3CX
 *    writes per real change, and the most XAPI requests the 3CX simulator served at once.
 * Sizes: GW3CX_BENCH_PRESENCE_CHANGES (changes timed in 1, default 100),
 * GW3CX_BENCH_PRESENCE_BURST_USERS (users in 2, default 1000).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PubSub } from "@google-cloud/pubsub";
import { InProcessBus } from "../../../shared/adapters/memory/in-process-bus.js";
import { PubSubBus } from "../../../shared/adapters/pubsub/pubsub-bus.js";
import { PRESENCE_WORKER_CONCURRENCY } from "../../../shared/runtime/embedded-runtime.js";
import { startPubsubStandIn } from "../../standins/pubsub.js";
import { type BenchSuite, markdownTable, percentile } from "../bench-suite.js";
import { HttpTimeline, hostOf } from "../presence/http-timeline.js";
import {
  type BenchUser,
  meetingNow,
  type PresenceBenchWorld,
  startPresenceBenchWorld,
} from "../presence/presence-bench-world.js";
import { round } from "../user-sync/fixtures.js";

const LATENCY_MS = 25;
const OVERHEAD_USERS = 50;
const OVERHEAD_WARMUP = 10;
const OVERHEAD_CHANGES = Number(process.env.GW3CX_BENCH_PRESENCE_CHANGES ?? 100);
const IN_PROCESS_TARGET_MS = 50;
const PUBSUB_TARGET_MS = 250;
const BURST_USERS = Number(process.env.GW3CX_BENCH_PRESENCE_BURST_USERS ?? 1000);
const BURST_WINDOW_MS = 10_000;
const MAX_IN_FLIGHT = 8;
/**
 * Messages the presence worker handles at once in scenario 2: the presence subscription's own
 * (PRESENCE_WORKER_CONCURRENCY) unless GW3CX_BENCH_PRESENCE_BURST_CONCURRENCY says otherwise
 * (3CX stays bounded by maxInFlight either way).
 */
const BURST_CONCURRENCY_ENV = process.env.GW3CX_BENCH_PRESENCE_BURST_CONCURRENCY;
const BURST_CONCURRENCY = Number(BURST_CONCURRENCY_ENV ?? PRESENCE_WORKER_CONCURRENCY);
/** After a change shows in 3CX, time for the worker to store the state before the next change. */
const SETTLE_MS = 30;
const DND = "Out of office";
const WRITE_OPS = ["UpdateUser"];

const verdict = (ok: boolean) => (ok ? "PASS" : "**FAIL**");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(1);
  }
  return true;
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(after)) if (n - (before[op] ?? 0) > 0) out[op] = n - (before[op] ?? 0);
  return out;
}

function googleCounts(world: PresenceBenchWorld): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of world.sims.google.requests) out[r.operation] = (out[r.operation] ?? 0) + 1;
  return out;
}

const perChange = (counts: Record<string, number>, changes: number) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${round(n / changes, 2)}`)
    .join(", ");

interface OverheadFigures {
  label: string;
  overheads: number[];
  elapsed: number[];
  callsBetween: number[];
  missed: number;
  google: Record<string, number>;
  threecx: Record<string, number>;
  loadBefore: string;
  loadAfter: string;
}

/**
 * One change at a time: a meeting added to (then removed from) a user's calendar; the Workspace
 * simulator pushes to the webhook, and the time runs from that push POST leaving the simulator to
 * the last PATCH of the user arriving at the 3CX simulator (the one that sets CurrentProfileName).
 * Every client request sent in between is one injected latency, taken out.
 */
async function overheadScenario(dir: string, label: string, bus?: PubSubBus): Promise<OverheadFigures> {
  const world = await startPresenceBenchWorld({
    users: OVERHEAD_USERS,
    dir,
    name: label,
    ...(bus ? { bus } : {}),
  });
  const timeline = new HttpTimeline();
  try {
    world.injectLatency(LATENCY_MS);
    const webhookHost = hostOf(world.host.webhookUrl);
    const webhookPath = new URL(world.host.webhookUrl).pathname;
    const pbxHost = hostOf(world.sims.threecx.url);
    const events = new Map<string, string>();
    const figures: OverheadFigures = {
      label,
      overheads: [],
      elapsed: [],
      callsBetween: [],
      missed: 0,
      google: {},
      threecx: {},
      loadBefore: load(),
      loadAfter: "",
    };
    let googleBefore: Record<string, number> = {};
    let threecxBefore: Record<string, number> = {};
    for (let i = 0; i < OVERHEAD_WARMUP + OVERHEAD_CHANGES; i++) {
      if (i === OVERHEAD_WARMUP) {
        googleBefore = googleCounts(world);
        threecxBefore = { ...world.sims.threecx.stats.requests };
      }
      const user = world.users[i % world.users.length] as BenchUser;
      const before = world.profileOf(user);
      timeline.clear();
      const eventId = events.get(user.googleId);
      if (eventId === undefined) {
        events.set(user.googleId, world.sims.google.tenant.addEvent(user.email, meetingNow()).id);
      } else {
        world.sims.google.tenant.deleteEvent(user.email, eventId);
        events.delete(user.googleId);
      }
      const seen = await until(() => world.profileOf(user) !== before, 10_000);
      await sleep(SETTLE_MS);
      if (i < OVERHEAD_WARMUP) continue;
      const marks = [...timeline.marks];
      const push = marks.find(
        (m) =>
          m.side === "sent" &&
          m.host === webhookHost &&
          m.path === webhookPath &&
          m.headers?.["x-goog-resource-state"] !== "sync",
      );
      const patches = marks.filter((m) => m.side === "arrived" && m.host === pbxHost && m.method === "PATCH");
      const profilePatch = patches.at(-1);
      if (!seen || !push || !profilePatch) {
        figures.missed++;
        continue;
      }
      // The PATCH's own send is the last request sent before it arrives: not one in between.
      const sentBefore = marks.filter(
        (m) =>
          m.side === "sent" && m.host !== webhookHost && m.atMs > push.atMs && m.atMs <= profilePatch.atMs,
      );
      const between = Math.max(0, sentBefore.length - 1);
      const elapsed = profilePatch.atMs - push.atMs;
      figures.elapsed.push(elapsed);
      figures.callsBetween.push(between);
      figures.overheads.push(elapsed - between * LATENCY_MS);
    }
    figures.google = diff(googleCounts(world), googleBefore);
    figures.threecx = diff(world.sims.threecx.stats.requests, threecxBefore);
    figures.loadAfter = load();
    figures.overheads.sort((a, b) => a - b);
    figures.elapsed.sort((a, b) => a - b);
    return figures;
  } finally {
    timeline.close();
    await world.close();
  }
}

interface BurstFigures {
  users: number;
  applied: number;
  lastAppliedMs: number;
  latencies: number[];
  writes: number;
  threecx: Record<string, number>;
  google: Record<string, number>;
  maxConcurrent: number;
  loadBefore: string;
  loadAfter: string;
}

/** A meeting starting now on each of BURST_USERS calendars, one every 10 s / BURST_USERS. */
async function burstScenario(dir: string): Promise<BurstFigures> {
  const world = await startPresenceBenchWorld({
    users: BURST_USERS,
    dir,
    name: "burst",
    maxInFlight: MAX_IN_FLIGHT,
    // Unset: the presence subscription's own concurrency, as `npm start` runs it.
    ...(BURST_CONCURRENCY_ENV
      ? { bus: new InProcessBus({ maxConcurrentPerSubscription: BURST_CONCURRENCY }) }
      : {}),
  });
  const timeline = new HttpTimeline();
  try {
    world.injectLatency(LATENCY_MS);
    const pbxHost = hostOf(world.sims.threecx.url);
    world.sims.threecx.resetStats();
    world.sims.google.resetRequests();
    timeline.clear();
    const loadBefore = load();
    const users = world.users.slice(0, BURST_USERS);
    const addedAt = new Map<number, number>();
    const start = performance.now();
    const gap = BURST_WINDOW_MS / users.length;
    for (const [i, user] of users.entries()) {
      const wait = start + i * gap - performance.now();
      if (wait > 0) await sleep(wait);
      addedAt.set(user.threecxId, performance.now());
      world.sims.google.tenant.addEvent(user.email, meetingNow());
    }
    const inDnd = () => users.filter((u) => world.profileOf(u) === DND).length;
    await until(() => inDnd() === users.length, 60_000);
    await sleep(SETTLE_MS * 10);
    await world.sims.google.notificationsIdle();
    // The last PATCH of each user that arrived at the 3CX simulator: when its change was applied.
    const appliedAt = new Map<number, number>();
    for (const m of timeline.marks) {
      if (m.side !== "arrived" || m.host !== pbxHost || m.method !== "PATCH") continue;
      const id = /Users\((\d+)\)/.exec(m.path)?.[1];
      if (id) appliedAt.set(Number(id), m.atMs);
    }
    const latencies = users
      .map((u) => (appliedAt.get(u.threecxId) ?? Number.NaN) - (addedAt.get(u.threecxId) ?? 0))
      .filter((v) => Number.isFinite(v))
      .sort((a, b) => a - b);
    const threecx = { ...world.sims.threecx.stats.requests };
    return {
      users: users.length,
      applied: inDnd(),
      lastAppliedMs: Math.max(...appliedAt.values()) - start,
      latencies,
      writes: WRITE_OPS.reduce((n, op) => n + (threecx[op] ?? 0), 0),
      threecx,
      google: googleCounts(world),
      maxConcurrent: world.sims.threecx.stats.maxConcurrent,
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    timeline.close();
    await world.close();
  }
}

const suite: BenchSuite = async () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-presence-"));
  try {
    process.stderr.write("presence-realtime: notification to PATCH, in-process bus ...\n");
    const inProcess = await overheadScenario(dir, "in-process");
    process.stderr.write("presence-realtime: notification to PATCH, Pub/Sub stand-in ...\n");
    const pubsubStandIn = await startPubsubStandIn();
    let viaPubsub: OverheadFigures;
    try {
      const bus = new PubSubBus(
        new PubSub({ projectId: "gw3cx-bench", apiEndpoint: pubsubStandIn.host, emulatorMode: true }),
      );
      viaPubsub = await overheadScenario(dir, "pubsub", bus);
    } finally {
      await pubsubStandIn.stop();
    }
    process.stderr.write(`presence-realtime: ${BURST_USERS} users in ${BURST_WINDOW_MS / 1000} s ...\n`);
    const burst = await burstScenario(dir);

    const overheadRow = (f: OverheadFigures, where: string, target: number) => {
      const p50 = percentile(f.overheads, 50);
      const p99 = percentile(f.overheads, 99);
      return [
        `1. notification -> 3CX PATCH overhead, ${where}: p50 / p99`,
        `${round(p50, 1)} / ${round(p99, 1)} ms`,
        `p99 <= ${target} ms`,
        f.missed === 0 ? verdict(p99 <= target) : `**FAIL (${f.missed} missed)**`,
        `${f.overheads.length} changes one at a time over ${OVERHEAD_USERS} users; elapsed p50 ${round(percentile(f.elapsed, 50), 1)} ms minus ${LATENCY_MS} ms x ${round(
          percentile(
            [...f.callsBetween].sort((a, b) => a - b),
            50,
          ),
        )} calls in between`,
      ];
    };
    const realChanges = burst.users;
    const burstP50 = percentile(burst.latencies, 50);
    const burstP99 = percentile(burst.latencies, 99);
    const rows = [
      overheadRow(inProcess, "in-process bus", IN_PROCESS_TARGET_MS),
      overheadRow(viaPubsub, "Pub/Sub stand-in", PUBSUB_TARGET_MS),
      [
        `2. ${burst.users} users in ${BURST_WINDOW_MS / 1000} s: applied`,
        `${burst.applied}/${burst.users}`,
        "all",
        verdict(burst.applied === burst.users),
        `users whose 3CX profile shows "${DND}" at the end; the last change applied ${round(burst.lastAppliedMs)} ms after the first notification`,
      ],
      [
        `2. ${burst.users} users in ${BURST_WINDOW_MS / 1000} s: 3CX writes`,
        `${burst.writes} (${round(burst.writes / realChanges, 2)} per change)`,
        `<= 1 per real change (${realChanges})`,
        verdict(burst.writes <= realChanges),
        `UpdateUser (PATCH) requests the 3CX simulator served; every request: ${perChange(burst.threecx, realChanges)} per change`,
      ],
      [
        `2. ${burst.users} users in ${BURST_WINDOW_MS / 1000} s: XAPI concurrency`,
        `${burst.maxConcurrent} at most`,
        `<= threecx.maxInFlight (${MAX_IN_FLIGHT})`,
        verdict(burst.maxConcurrent <= MAX_IN_FLIGHT),
        "most XAPI requests the 3CX simulator was handling at one moment",
      ],
      [
        `2. ${burst.users} users in ${BURST_WINDOW_MS / 1000} s: event added -> PATCH p50 / p99`,
        `${round(burstP50)} / ${round(burstP99)} ms`,
        "reported",
        "measured",
        `from the event's creation in the simulator to its user's last PATCH arriving at 3CX, at ${LATENCY_MS} ms per call`,
      ],
    ];
    const detail = (f: OverheadFigures) =>
      `- ${f.label === "in-process" ? "In-process bus" : "Pub/Sub stand-in"}: overhead p50 ${round(percentile(f.overheads, 50), 1)} ms, p90 ${round(percentile(f.overheads, 90), 1)} ms, p99 ${round(percentile(f.overheads, 99), 1)} ms, max ${round(f.overheads.at(-1) ?? Number.NaN, 1)} ms; elapsed p50 ${round(percentile(f.elapsed, 50), 1)} ms, p99 ${round(percentile(f.elapsed, 99), 1)} ms. Per change: Workspace ${perChange(f.google, f.overheads.length)}; 3CX ${perChange(f.threecx, f.overheads.length)}. Load average before / after: ${f.loadBefore} / ${f.loadAfter}.`;
    return {
      title: "Presence in real time: notification to 3CX, and 1,000 users at once",
      markdown: [
        `Command: \`npm run bench -- presence-realtime\`. Embedded runtime (SQLite state file), both simulators and the local webhook host in the bench process; every user linked by a sync, a Calendar channel on each calendar and a first presence decision stored before anything is timed. Injected latency ${LATENCY_MS} ms on every route of both simulators (Google \`addFault({operation: "*"})\`, 3CX \`faults.add({latencyMs})\`); \`presence.statusMessage\` on (the default). Requests are observed through Node's diagnostics channels (\`undici:request:create\`, \`http.client.request.start\`, \`http.server.request.start\`), nothing in the product is wrapped.`,
        "",
        markdownTable(["target", "measured", "target", "result", "what was counted"], rows),
        "",
        `**1. Overhead.** ${OVERHEAD_WARMUP} warm-up changes, then ${OVERHEAD_CHANGES}, one at a time: a meeting added to a user's calendar (entering DND), or removed (leaving, the profile restored). Elapsed = the push POST leaving the Workspace simulator (\`undici:request:create\` to the webhook) to the user's last PATCH arriving at the 3CX simulator (\`http.server.request.start\`), which sets CurrentProfileName; overhead = elapsed - ${LATENCY_MS} ms x the client requests sent in between (all sequential on this path). The Pub/Sub row runs the same stack with the bus on pstest (Google's Pub/Sub fake, gRPC on loopback; the worker pulls with a streaming pull); its publish and delivery carry no injected latency.`,
        "",
        detail(inProcess),
        detail(viaPubsub),
        "",
        `**2. ${burst.users} users.** A meeting starting now is added to ${burst.users} calendars, one every ${round(BURST_WINDOW_MS / burst.users, 1)} ms for ${BURST_WINDOW_MS / 1000} s, each a real change (the user enters DND). \`threecx.maxInFlight\` ${MAX_IN_FLIGHT}; the in-process bus hands the presence worker ${BURST_CONCURRENCY} messages at once${BURST_CONCURRENCY_ENV ? ` (GW3CX_BENCH_PRESENCE_BURST_CONCURRENCY; the runtime's default is ${PRESENCE_WORKER_CONCURRENCY})` : " (the presence subscription's own, as `npm start` runs)"}. Workspace requests: ${perChange(burst.google, realChanges)} per change. Latency event added -> PATCH: p50 ${round(burstP50)} ms, p99 ${round(burstP99)} ms, max ${round(burst.latencies.at(-1) ?? Number.NaN)} ms. Load average before / after: ${burst.loadBefore} / ${burst.loadAfter}.`,
      ].join("\n"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default suite;
