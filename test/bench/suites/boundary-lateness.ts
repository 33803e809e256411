/**
 * Presence boundaries through Cloud Tasks: the CloudTasksBoundaryScheduler on the Cloud Tasks
 * stand-in (its own process, real gRPC), on a queue with the deployed rate limits and retries,
 * POSTing to a loopback receiver in place of the boundary function. Lateness = arrival at the
 * receiver minus the wake-up's instant (never negative: a negative one is counted as early).
 * - spread: wake-ups at random instants over a window, as boundaries fall through a working day;
 * - on the hour: every wake-up at the same instant, as when many meetings end together; the
 *   queue's rate limit (which protects the PBX) then paces them.
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

const SPREAD_WAKE_UPS = 200;
const SPREAD_WINDOW_MS = 20_000;
const BURST_WAKE_UPS = 100;
const LEAD_MS = 3_000;

interface Figures {
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
      `spread: ${SPREAD_WAKE_UPS} over ${SPREAD_WINDOW_MS / 1000} s`,
      spread,
    );
    const hour = Date.now() + LEAD_MS;
    const burstFigures = await scenario(
      standIn.host,
      `on the hour: ${BURST_WAKE_UPS} at one instant`,
      Array.from({ length: BURST_WAKE_UPS }, () => hour),
    );
    const rows = [spreadFigures, burstFigures].map((f) => [
      f.scenario,
      `${f.delivered}/${f.count}`,
      f.early,
      f.p50,
      f.p99,
      f.max,
      f.scheduleMsP50,
    ]);
    return {
      title: "Presence boundaries: lateness through Cloud Tasks (stand-in)",
      markdown: [
        `Wake-ups scheduled ${LEAD_MS / 1000} s or more ahead with \`CloudTasksBoundaryScheduler\` on the Cloud Tasks stand-in, queue as deployed (${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond} dispatches/s, ${BOUNDARY_RATE_LIMITS.maxConcurrentDispatches} at once); lateness is arrival at the receiving endpoint minus the instant, in ms. Target: p99 <= 5000 ms, none early.`,
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
          ],
          rows,
        ),
        "",
        `The stand-in fires at the instant with one timer (Node's, millisecond resolution), so the spread figures are the client-to-receiver path on loopback. A burst is paced by the queue's token bucket (assumed burst size ${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond}, one second's worth, since Cloud Tasks does not document how it picks it): about (N - ${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond}) / ${BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond} s for the last of N coinciding boundaries. Real Cloud Tasks adds its own dispatch delay, not measured here.`,
      ].join("\n"),
    };
  } finally {
    await standIn.stop();
  }
};

export default suite;
