/**
 * Presence at 10,000 users (embedded runtime, SQLite state file, both simulators in this process,
 * each phase in a forked process of its own: test/bench/presence/scale-child.ts):
 * 3a. Calendar channel set-up: one events.watch per synced user, paced by the product at
 *     CALENDAR_CHANNEL_CALLS_PER_SECOND; calls counted at the Workspace simulator, and the wall
 *     time the pace implies. The pace runs on a test clock whose sleeps take no real time, so the
 *     suite does not wait the minutes the pace asks for: measured time = work, pace = the waits.
 * 3b. The nightly calendar resync (every calendar read whole and applied): calls, 3CX writes, wall
 *     time and peak RSS (VmHWM of the process that ran only the resync).
 * Size: GW3CX_BENCH_PRESENCE_SCALE_USERS (default 2000, so `npm run bench` stays short; 10000 takes
 * minutes: GW3CX_BENCH_PRESENCE_SCALE_USERS=10000 npm run bench).
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { SeedEvent } from "../../../shared/simulators/google/seed.js";
import { CALENDAR_CHANNEL_CALLS_PER_SECOND } from "../../../shared/usecases/presence/calendar-channels.js";
import { type BenchSuite, markdownTable } from "../bench-suite.js";
import type { ScaleChildInput, ScaleChildResult, ScalePhase } from "../presence/scale-child.js";
import { round, threecxSeed, workspaceSeed } from "../user-sync/fixtures.js";

const USERS = Number(process.env.GW3CX_BENCH_PRESENCE_SCALE_USERS ?? 2_000);
/** Every this-many-th user is in a meeting while the runs happen (so the first pass writes). */
const IN_MEETING_EVERY = 10;
/** Memory of gw3cx-daily-sync (infra/gw3cx-stack.ts), the function whose nightly run resyncs calendars. */
const RSS_LIMIT_MB = 512;
/** Calendar API quota per project (requests a minute), which the pace must stay well inside. */
const CALENDAR_QUOTA_PER_MINUTE = 10_000;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const childScript = join(root, "test", "bench", "presence", "scale-child.ts");
const verdict = (ok: boolean) => (ok ? "PASS" : "**FAIL**");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Each generated user: three meetings over the next days, and every tenth one a meeting under way. */
function seeds() {
  const google = workspaceSeed(USERS);
  const now = Date.now();
  const day = 86_400_000;
  const hour = 3_600_000;
  google.users = (google.users ?? []).map((user, i) => {
    if (!user.primaryEmail.startsWith("user")) return user;
    const events: SeedEvent[] = [1, 2, 3].map((d) => ({
      summary: `Planning ${d}`,
      start: { dateTime: rfc3339(now + d * day) },
      end: { dateTime: rfc3339(now + d * day + hour) },
    }));
    if (i % IN_MEETING_EVERY === 0)
      events.push({
        summary: "Review",
        start: { dateTime: rfc3339(now - 10 * 60_000) },
        end: { dateTime: rfc3339(now + 2 * hour) },
      });
    return { ...user, events };
  });
  return { google, threecx: threecxSeed({ matchingUsers: USERS }) };
}

function runChild(input: ScaleChildInput): Promise<ScaleChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(childScript, [JSON.stringify(input)], {
      cwd: root,
      execArgv: [
        "--import",
        "tsx",
        // GW3CX_BENCH_CHILD_PROF=DIR writes a V8 CPU profile of each phase's process there.
        ...(process.env.GW3CX_BENCH_CHILD_PROF
          ? ["--cpu-prof", `--cpu-prof-dir=${process.env.GW3CX_BENCH_CHILD_PROF}`]
          : []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: ScaleChildResult | undefined;
    child.once("message", (message) => {
      result = message as ScaleChildResult;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`the ${input.phase} process exited with ${code} and no result`));
    });
  });
}

interface PhaseFigures {
  run: ScaleChildResult;
  google: Record<string, number>;
  threecx: Record<string, number>;
  loadBefore: string;
  loadAfter: string;
}

async function phase(
  sims: DemoSimulators,
  base: Record<string, unknown>,
  webhookUrl: string,
  name: ScalePhase,
): Promise<PhaseFigures> {
  sims.google.resetRequests();
  sims.threecx.resetStats();
  const loadBefore = load();
  const run = await runChild({ phase: name, base, env: sims.env, webhookUrl });
  // Sync handshakes of new channels are still on their way to the receiver: not calls of gw3cx's.
  await sims.google.notificationsIdle();
  const google: Record<string, number> = {};
  for (const r of sims.google.requests) google[r.operation] = (google[r.operation] ?? 0) + 1;
  return { run, google, threecx: { ...sims.threecx.stats.requests }, loadBefore, loadAfter: load() };
}

const describe = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ") || "none";

const suite: BenchSuite = async () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-presence-scale-"));
  const sims = await startDemoSimulators(seeds());
  // Where the Calendar channels point: a receiver that acknowledges, as the webhook does a handshake.
  let handshakes = 0;
  const receiver = createServer((req, res) => {
    handshakes++;
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/directoryWebhook`;
  const base = {
    ...sims.settings,
    logLevel: "error",
    calendarPresence: true,
    embedded: { stateDbPath: join(dir, "scale.db") },
  };
  try {
    process.stderr.write(`presence-scale: linking ${USERS} users ...\n`);
    const link = await phase(sims, base, webhookUrl, "link");
    if (link.run.outcome.status !== "applied")
      throw new Error(`linking: ${JSON.stringify(link.run.outcome)}`);
    process.stderr.write("presence-scale: calendar channels ...\n");
    const channels = await phase(sims, base, webhookUrl, "channels");
    process.stderr.write("presence-scale: first calendar pass ...\n");
    const first = await phase(sims, base, webhookUrl, "resync");
    process.stderr.write("presence-scale: nightly resync ...\n");
    const nightly = await phase(sims, base, webhookUrl, "resync");

    const opened = Number(channels.run.outcome.opened ?? 0);
    const watches = channels.google["calendar.events.watch"] ?? 0;
    const paceCalls = watches + (channels.google["calendar.channels.stop"] ?? 0);
    const impliedMs = channels.run.wallMs + (channels.run.pacedWaitMs ?? 0);
    const paceOnlyMs = (paceCalls / CALENDAR_CHANNEL_CALLS_PER_SECOND) * 1000;
    const perMinute = (paceCalls / impliedMs) * 60_000;
    const nightlyWrites = nightly.threecx.UpdateUser ?? 0;
    const nightlyUsers = Number(nightly.run.outcome.users ?? 0);
    const rows = [
      [
        `3. ${USERS} users: calendar channels opened`,
        `${opened} (${channels.run.outcome.failed} failed)`,
        `one per synced user (${USERS})`,
        verdict(opened === USERS && watches === USERS),
        `\`calendar.events.watch\` requests the Workspace simulator served: ${watches}`,
      ],
      [
        `3. ${USERS} users: channel set-up calls`,
        describe(channels.google),
        "reported",
        "measured",
        "every request the Workspace simulator served during the set-up (3CX: none)",
      ],
      [
        `3. ${USERS} users: channel set-up time at the pace`,
        `${round(impliedMs / 1000, 1)} s (${round(perMinute)} Calendar calls a minute)`,
        `<= ${CALENDAR_QUOTA_PER_MINUTE} a minute (Calendar's quota per project)`,
        verdict(perMinute <= CALENDAR_QUOTA_PER_MINUTE),
        `${CALENDAR_CHANNEL_CALLS_PER_SECOND} watch/stop calls a second: ${paceCalls} calls = ${round(paceOnlyMs / 1000, 1)} s of pace; the work itself took ${round(channels.run.wallMs / 1000, 1)} s (test clock, waits skipped)`,
      ],
      [
        `3. ${USERS} users: nightly resync calls`,
        `Workspace ${describe(nightly.google)}; 3CX ${describe(nightly.threecx)}`,
        "reported",
        "measured",
        `requests the simulators served for ${nightlyUsers} users`,
      ],
      [
        `3. ${USERS} users: nightly resync 3CX writes`,
        nightlyWrites,
        "0 (nothing changed since the last pass)",
        verdict(nightlyWrites === 0),
        "UpdateUser requests the 3CX simulator served",
      ],
      [
        `3. ${USERS} users: nightly resync peak RSS`,
        `${round(nightly.run.vmHwmMb)} MB`,
        `< ${RSS_LIMIT_MB} MB (gw3cx-daily-sync's memory)`,
        verdict(nightly.run.vmHwmMb < RSS_LIMIT_MB),
        `VmHWM of a process running only the resync (${round(nightly.run.rssBeforeMb)} MB before it started); wall time ${round(nightly.run.wallMs / 1000, 1)} s, CPU ${round(nightly.run.cpuMs / 1000, 1)} s`,
      ],
    ];
    return {
      title: `Presence at ${USERS.toLocaleString("en-US")} users: calendar channels and the nightly resync`,
      markdown: [
        `Command: \`npm run bench -- presence-scale\` (size: \`GW3CX_BENCH_PRESENCE_SCALE_USERS\`, default 2000 to keep \`npm run bench\` short; \`GW3CX_BENCH_PRESENCE_SCALE_USERS=10000 npm run bench\` for the issue's 10,000, which takes minutes). ${USERS} Workspace users, each with three meetings in the coming days and every ${IN_MEETING_EVERY}th in a meeting now, the same people on 3CX; embedded runtime on one SQLite state file, both simulators in the bench process with no injected latency. Each phase runs in a forked process of its own (\`test/bench/presence/scale-child.ts\`), as a fresh instance would: no cached delegation token. First the users are linked by a sync (${round(link.run.wallMs / 1000, 1)} s, not measured further).`,
        "",
        markdownTable(["target", "measured", "target", "result", "what was counted"], rows),
        "",
        `**Channel set-up** (\`maintainCalendarChannels\`, as the nightly run and \`npm start\` call it): the product paces watch and stop calls at ${CALENDAR_CHANNEL_CALLS_PER_SECOND} a second. That would keep the bench waiting ${round(paceOnlyMs / 1000)} s, so the set-up runs on a test clock (\`PacedTestClock\` in the child) whose sleeps return at once and move its time ahead by what the pace asked for: the implied wall time = the work (${round(channels.run.wallMs / 1000, 1)} s) + the waits the pace asked for (${round((channels.run.pacedWaitMs ?? 0) / 1000, 1)} s) = ${round(impliedMs / 1000, 1)} s. The Directory is listed once (500 a page) for the users' emails. Every calendar is read as its owner, so a fresh process fetches a delegated token per user (a \`signJwt\` and a token exchange each): not Calendar API calls, they go at the pace of the watch calls that need them. Result: ${describe(channels.run.outcome as Record<string, number>)}; ${handshakes} sync handshakes received. Peak RSS ${round(channels.run.vmHwmMb)} MB. Load average before / after: ${channels.loadBefore} / ${channels.loadAfter}.`,
        "",
        `**First pass** (every user's first decision, as the channels' opening queues them; run as one resync here): ${round(first.run.wallMs / 1000, 1)} s; Workspace ${describe(first.google)}; 3CX ${describe(first.threecx)}; peak RSS ${round(first.run.vmHwmMb)} MB.`,
        "",
        `**Nightly resync** (\`resyncCalendars\`, 8 users at a time; every calendar window read whole, decided, stored): ${round(nightly.run.wallMs / 1000, 1)} s for ${nightlyUsers} users (${round(nightly.run.wallMs / Math.max(1, nightlyUsers), 2)} ms a user), CPU ${round(nightly.run.cpuMs / 1000, 1)} s. Result: ${describe(nightly.run.outcome as Record<string, number>)}. Load average before / after: ${nightly.loadBefore} / ${nightly.loadAfter}.`,
      ].join("\n"),
    };
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
    await sims.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default suite;
