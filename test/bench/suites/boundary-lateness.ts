/**
 * Presence boundaries through Cloud Tasks: the CloudTasksBoundaryScheduler on the Cloud Tasks
 * stand-in (its own process, real gRPC), on a queue with the deployed rate limits and retries,
 * POSTing to a loopback receiver in place of the boundary function. Lateness = arrival at the
 * receiver minus the wake-up's instant (never negative: a negative one is counted as early).
 * - spread: wake-ups at random instants over a window, as boundaries fall through a working day;
 * - on the hour: every wake-up at the same instant, as when many meetings end together; the
 *   queue's rate limit (which protects the PBX) then paces them.
 * The same two shapes on the single machine: the embedded runtime's TimerBoundaryScheduler (timers
 * recorded in the SQLite state) delivering through the in-process bus, lateness = arrival at a
 * subscriber of gw3cx-calendar-changes, where the presence worker listens. And the whole embedded
 * path once: meetings of many users ending at one instant, lateness = the restoring PATCH arriving
 * at the 3CX simulator (test/bench/presence/embedded-boundaries.ts).
 */

import { BOUNDARY_RATE_LIMITS } from "../../../infra/constructs/presence-boundary-queue.js";
import { CloudTasksBoundaryScheduler } from "../../../shared/adapters/cloud-tasks/cloud-tasks-boundary-scheduler.js";
import { startCloudTasksStandIn } from "../../standins/cloud-tasks.js";
import {
  createQueue,
  INVOKER,
  LOCATION,
  PROJECT,
  Receiver,
  standInClient,
} from "../../support/cloud-tasks-harness.js";
import { type BenchSuite, markdownTable, percentile } from "../bench-suite.js";
import {
  EMBEDDED_SPREAD_WINDOW_MS,
  embeddedMeetingsEnd,
  embeddedTimerScenario,
} from "../presence/embedded-boundaries.js";

const SPREAD_WAKE_UPS = 200;
const SPREAD_WINDOW_MS = 20_000;
const BURST_WAKE_UPS = 100;
const LEAD_MS = 3_000;
const TARGET_P99_MS = 5_000;

export interface Figures {
  scenario: string;
  count: number;
  delivered: number;
  early: number;
  p50: number;
  p99: number;
  max: number;
  scheduleMsP50: number;
}

async function scenario(host: string, name: string, instants: number[]): Promise<Figures> {
  const receiver = await Receiver.start();
  const client = standInClient(host);
  try {
    const queue = await createQueue(client);
    const scheduler = new CloudTasksBoundaryScheduler(client, {
      projectId: PROJECT,
      location: LOCATION,
      queue: queue.id,
      boundaryUrl: receiver.url(),
      invokerServiceAccountEmail: INVOKER,
    });
    const scheduleTimes: number[] = [];
    await Promise.all(
      instants.map(async (at, n) => {
        const started = performance.now();
        await scheduler.schedule({ googleUserId: `bench-${n}`, at });
        scheduleTimes.push(performance.now() - started);
      }),
    );
    const last = Math.max(...instants);
    const deadline = last + 60_000;
    while (receiver.received.length < instants.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const lateness = receiver.received
      .map((r) => r.receivedAt - (JSON.parse(r.body) as { at: number }).at)
      .sort((a, b) => a - b);
    const ms = (v: number) => Number(v.toFixed(0));
    return {
      scenario: name,
      count: instants.length,
      delivered: receiver.received.length,
      early: lateness.filter((l) => l < 0).length,
      p50: ms(percentile(lateness, 50)),
      p99: ms(percentile(lateness, 99)),
      max: ms(lateness[lateness.length - 1] ?? Number.NaN),
      scheduleMsP50: Number(
        percentile(
          scheduleTimes.sort((a, b) => a - b),
          50,
        ).toFixed(1),
      ),
    };
  } finally {
    await client.close();
    await receiver.close();
  }
}

const suite: BenchSuite = async () => {
  const standIn = await startCloudTasksStandIn();
  try {
    const start = Date.now() + LEAD_MS;
    const spread = Array.from({ length: SPREAD_WAKE_UPS }, () =>
      Math.round(start + Math.random() * SPREAD_WINDOW_MS),
    );
    const spreadFigures = await scenario(
      standIn.host,
      `Cloud Tasks stand-in, spread: ${SPREAD_WAKE_UPS} over ${SPREAD_WINDOW_MS / 1000} s`,
      spread,
    );
    const hour = Date.now() + LEAD_MS;
    const burstFigures = await scenario(
      standIn.host,
      `Cloud Tasks stand-in, on the hour: ${BURST_WAKE_UPS} at one instant`,
      Array.from({ length: BURST_WAKE_UPS }, () => hour),
    );
    process.stderr.write("boundary-lateness: embedded timers ...\n");
    const embeddedStart = Date.now() + LEAD_MS;
    const embeddedSpread = await embeddedTimerScenario(
      `embedded timers, spread: ${SPREAD_WAKE_UPS} over ${EMBEDDED_SPREAD_WINDOW_MS / 1000} s`,
      Array.from({ length: SPREAD_WAKE_UPS }, () =>
        Math.round(embeddedStart + Math.random() * EMBEDDED_SPREAD_WINDOW_MS),
      ),
    );
    const embeddedHour = Date.now() + LEAD_MS;
    const embeddedBurst = await embeddedTimerScenario(
      `embedded timers, on the hour: ${BURST_WAKE_UPS} at one instant`,
      Array.from({ length: BURST_WAKE_UPS }, () => embeddedHour),
    );
    process.stderr.write("boundary-lateness: embedded runtime, meetings ending at once ...\n");
    const meetingsEnd = await embeddedMeetingsEnd(BURST_WAKE_UPS);
    const all = [spreadFigures, burstFigures, embeddedSpread, embeddedBurst, meetingsEnd.figures];
    const rows = all.map((f) => [
      f.scenario,
      `${f.delivered}/${f.count}`,
      f.early,
      f.p50,
      f.p99,
      f.max,
      Number.isNaN(f.scheduleMsP50) ? "-" : f.scheduleMsP50,
      f.delivered === f.count && f.early === 0 && f.p99 <= TARGET_P99_MS ? "PASS" : "**FAIL**",
    ]);
    return {
      title: "Presence boundaries: lateness through Cloud Tasks (stand-in) and on the single machine",
      markdown: [
        `Wake-ups scheduled ${LEAD_MS / 1000} s or more ahead with \`CloudTasksBoundaryScheduler\` on the Cloud Tasks stand-in, queue as deployed (${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond} dispatches/s, ${BOUNDARY_RATE_LIMITS.maxConcurrentDispatches} at once); lateness is arrival at the receiving endpoint minus the instant, in ms. Target: p99 <= ${TARGET_P99_MS} ms, none early.`,
        "",
        markdownTable(
          [
            "scenario",
            "delivered",
            "early",
            "p50 ms",
            "p99 ms",
            "max ms",
            "schedule() p50 ms (all called at once)",
            `p99 <= ${TARGET_P99_MS} ms, all delivered, none early`,
          ],
          rows,
        ),
        "",
        `The stand-in fires at the instant with one timer (Node's, millisecond resolution), so the spread figures are the client-to-receiver path on loopback. A burst is paced by the queue's token bucket (assumed burst size ${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond}, one second's worth, since Cloud Tasks does not document how it picks it): about (N - ${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond}) / ${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond} s for the last of N coinciding boundaries. Real Cloud Tasks adds its own dispatch delay, not measured here.`,
        "",
        `**Single machine** (\`npm start\`): the \`TimerBoundaryScheduler\` of \`createEmbeddedRuntime\` (one Node timer per wake-up, recorded in the SQLite state file), its wake-ups published to gw3cx-calendar-changes on the in-process bus; lateness = arrival at a subscriber of that topic, where the presence worker listens, minus the instant (the spread over ${EMBEDDED_SPREAD_WINDOW_MS / 1000} s rather than ${SPREAD_WINDOW_MS / 1000} s to keep the suite short). No rate limit paces them. The last row is the whole path: ${meetingsEnd.users} users in a meeting (DND, set through the webhook and the worker) whose meetings all end at the same second; lateness = that user's restoring PATCH arriving at the 3CX simulator minus the end (the worker takes 8 messages at once; \`threecx.maxInFlight\` 8; no injected latency). Per user at the end: ${meetingsEnd.perUser}.`,
      ].join("\n"),
    };
  } finally {
    await standIn.stop();
  }
};

export default suite;
