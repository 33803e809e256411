/**
 * User sync end to end (embedded runtime: SQLite state, in-process bus) against both simulators:
 * 1. 10,000 users already in sync and linked: a second full sync, at 25 ms injected latency on every
 *    route of both simulators: calls made, and wall time next to the critical path of those calls;
 * 2. 2,000 new users on an empty PBX at the same latency: creates, and wall time next to
 *    creates x latency / concurrency plus the listing on the critical path;
 * 3. peak RSS of the 10,000-user run (measured in its own process);
 * 4. the real-time path, Workspace change -> push -> webhook -> bus -> worker -> 3CX PATCH, with no
 *    injected latency.
 * Runs 1-3 fork a process per sync (test/bench/user-sync/sync-child.ts) with the simulators left in
 * this one, so the run neither shares an event loop with them nor counts their memory.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemClock } from "../../../shared/adapters/clock/system-clock.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { createEmbeddedRuntime, startUserSyncWorker } from "../../../shared/runtime/embedded-runtime.js";
import { startLocalHost } from "../../../shared/runtime/local-http-host.js";
import { demoCredentialsEnv } from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  demoSettings,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { type GoogleSimulator, startGoogleSimulator } from "../../../shared/simulators/google/server.js";
import { renewDirectoryChannels } from "../../../shared/usecases/channels/renew-directory-channels.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { UserLinkStore } from "../../../shared/usecases/user-sync/user-link-store.js";
import { type BenchSuite, markdownTable, percentile } from "../bench-suite.js";
import { round, stderrDestination, threecxSeed, workspaceSeed } from "../user-sync/fixtures.js";
import { startSeparatePbx } from "../user-sync/separate-pbx.js";
import type { ChildInput, ChildResult } from "../user-sync/sync-child.js";

const LATENCY_MS = 25;
const IN_SYNC_USERS = 10_000;
/** Fresh processes timed for scenario 1: one run on a shared 2-core VM varies by +-15%, so the median is reported. */
const FRESH_RUNS = 5;
/** Fresh create runs per concurrency (each 2,000 creates on an empty PBX); the median is reported. */
const FRESH_CREATE_RUNS = 3;
const NEW_USERS = 2_000;
const DEFAULT_MAX_IN_FLIGHT = 8;
const CREATE_CONCURRENCIES = [DEFAULT_MAX_IN_FLIGHT, 32];
const RSS_LIMIT_MB = 256;
const REALTIME_WARMUP = 10;
const REALTIME_CHANGES = 200;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const childScript = join(root, "test", "bench", "user-sync", "sync-child.ts");
const verdict = (ok: boolean) => (ok ? "PASS" : "**FAIL**");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

function runChild(input: ChildInput): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(childScript, [JSON.stringify(input)], {
      cwd: root,
      execArgv: [
        "--import",
        "tsx",
        // GW3CX_BENCH_CHILD_PROF=DIR writes a V8 CPU profile of each sync process there.
        ...(process.env.GW3CX_BENCH_CHILD_PROF
          ? ["--cpu-prof", `--cpu-prof-dir=${process.env.GW3CX_BENCH_CHILD_PROF}`]
          : []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: ChildResult | undefined;
    child.once("message", (message) => {
      result = message as ChildResult;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`the sync process exited with ${code} and no result`));
    });
  });
}

function childInput(
  demo: Pick<DemoSimulators, "settings" | "env">,
  stateDbPath: string,
  maxInFlight: number,
): ChildInput {
  const threecx = demo.settings.threecx as Record<string, unknown>;
  return {
    base: {
      ...demo.settings,
      logLevel: "error",
      embedded: { stateDbPath },
      threecx: { ...threecx, maxInFlight },
    },
    env: demo.env,
  };
}

function googleCounts(google: Pick<GoogleSimulator, "requests">): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of google.requests) out[r.operation] = (out[r.operation] ?? 0) + 1;
  return out;
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const listOps = ["ListUser", "ListPeer"];
const WRITE_OPS = ["CreateUser", "UpdateUser"];

/** Most calls to one host in flight at the same moment, from the child's fetch timeline. */
function maxOverlap(calls: ChildResult["calls"], prefix: string): number {
  const edges = calls
    .filter((c) => c.url.startsWith(prefix))
    .flatMap((c) => [
      [c.startMs, 1],
      [c.endMs, -1],
    ])
    .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  let max = 0;
  for (const [, d] of edges) {
    now += d as number;
    max = Math.max(max, now);
  }
  return max;
}

function topsUsed(calls: ChildResult["calls"]): string {
  const tops = new Set<string>();
  for (const c of calls) {
    const url = new URL(c.url);
    if (/\/xapi\/v1\/(Users|Peers)$/.test(url.pathname)) tops.add(url.searchParams.get("$top") ?? "(none)");
  }
  return [...tops].join(", ");
}

/**
 * Round trips the read phase needs at best: every Google call in sequence (delegation token, then
 * page after page: the next page token is in the previous answer) and, at the same time, on 3CX the
 * token, the first page of users and of DNs together, and the remaining pages `maxInFlight` at a time.
 */
function readPhaseRounds(
  google: Record<string, number>,
  threecx: Record<string, number>,
  maxInFlight: number,
) {
  const googleSequential = sum(google);
  const token = Math.min(1, threecx.Token ?? 0);
  const pages = listOps.reduce((n, op) => n + (threecx[op] ?? 0), 0);
  const firstPages = listOps.filter((op) => (threecx[op] ?? 0) > 0).length;
  const rest = pages - firstPages;
  const threecxRounds = token + (firstPages > 0 ? 1 : 0) + Math.ceil(rest / maxInFlight);
  return {
    googleSequential,
    threecxRounds,
    // syncAllUsers reads the 3CX side while the Directory pages come in: the longer chain decides.
    rounds: Math.max(googleSequential, threecxRounds),
    formula: `max(Google ${googleSequential} sequential, 3CX ${token} token + ${firstPages > 0 ? 1 : 0} round of first pages + ceil(${rest} pages / ${maxInFlight}) = ${threecxRounds} rounds), read side by side`,
  };
}

async function inSyncScenario(dir: string) {
  // Each simulator in a process of its own here: the 3CX side's 10,000-user pages must not hold up
  // the Workspace simulator's answers, which are the critical path.
  const google = await startGoogleSimulator({
    seed: workspaceSeed(IN_SYNC_USERS),
    allowHttpPushAddresses: true,
  });
  const pbx = await startSeparatePbx(threecxSeed({ matchingUsers: IN_SYNC_USERS }), dir, root);
  const demo = { settings: demoSettings(google.endpoints, pbx.url), env: demoCredentialsEnv() };
  try {
    const input = childInput(demo, join(dir, "in-sync.db"), DEFAULT_MAX_IN_FLIGHT);
    // Build the state: one sync with no latency links (adopts) everyone.
    const linking = await runChild(input);
    if (linking.status !== "applied" || linking.applied?.adoptions !== IN_SYNC_USERS)
      throw new Error(`the linking run did not adopt everyone: ${JSON.stringify(linking)}`);
    google.addFault({ operation: "*", latencyMs: LATENCY_MS });
    await pbx.addLatency(LATENCY_MS);
    const loadBefore = load();
    const fresh: Array<{
      run: ChildResult;
      google: Record<string, number>;
      threecx: Record<string, number>;
      simulatorsCpuMs: number;
    }> = [];
    for (let i = 0; i < FRESH_RUNS; i++) {
      google.resetRequests();
      const pbxBefore = await pbx.requests();
      const cpuBefore = process.cpuUsage();
      const pbxCpuBefore = pbx.cpuMs();
      const run = await runChild(input);
      const simulatorsCpuMs = cpuMs(process.cpuUsage(cpuBefore)) + pbx.cpuMs() - pbxCpuBefore;
      const pbxAfter = await pbx.requests();
      const threecx = Object.fromEntries(
        Object.entries(pbxAfter)
          .map(([op, n]) => [op, n - (pbxBefore[op] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      fresh.push({ run, google: googleCounts(google), threecx, simulatorsCpuMs });
    }
    // The run at the median wall time is the one described in detail.
    const median = [...fresh].sort((a, b) => a.run.wallMs - b.run.wallMs)[
      Math.floor(FRESH_RUNS / 2)
    ] as (typeof fresh)[number];
    const { run, threecx, simulatorsCpuMs } = median;
    const googleRequests = median.google;
    const path = readPhaseRounds(googleRequests, threecx, DEFAULT_MAX_IN_FLIGHT);
    // Apart from the counted run: a process that runs the same sync twice, to see it warm.
    const warm = await runChild({ ...input, warmRun: true });
    return {
      linking,
      run,
      fresh,
      warmWallMs: warm.warmWallMs ?? Number.NaN,
      google: googleRequests,
      threecx,
      path,
      simulatorsCpuMs,
      loadBefore,
      loadAfter: load(),
      googleUrl: google.url,
      threecxUrl: pbx.url,
    };
  } finally {
    await Promise.all([google.close(), pbx.close()]);
  }
}

/** The create run FRESH_CREATE_RUNS times, each on an empty PBX: the one at the median wall time, and all wall times. */
async function createScenario(dir: string, maxInFlight: number) {
  const runs: Awaited<ReturnType<typeof createOnce>>[] = [];
  for (let i = 0; i < FRESH_CREATE_RUNS; i++) runs.push(await createOnce(dir, maxInFlight, i));
  const median = [...runs].sort((a, b) => a.run.wallMs - b.run.wallMs)[
    Math.floor(FRESH_CREATE_RUNS / 2)
  ] as (typeof runs)[number];
  return {
    ...median,
    walls: runs.map((r) => r.run.wallMs),
    everyRunCreates: runs.map((r) => r.threecx.CreateUser ?? 0),
  };
}

async function createOnce(dir: string, maxInFlight: number, attempt: number) {
  const demo = await startDemoSimulators({ google: workspaceSeed(NEW_USERS), threecx: threecxSeed() });
  try {
    demo.google.addFault({ operation: "*", latencyMs: LATENCY_MS });
    demo.threecx.faults.add({ latencyMs: LATENCY_MS });
    const loadBefore = load();
    const cpuBefore = process.cpuUsage();
    const run = await runChild(
      childInput(demo, join(dir, `create-${maxInFlight}-${attempt}.db`), maxInFlight),
    );
    const simulatorsCpuMs = cpuMs(process.cpuUsage(cpuBefore));
    const google = googleCounts(demo.google);
    const threecx = { ...demo.threecx.stats.requests };
    const path = readPhaseRounds(google, threecx, maxInFlight);
    const createsIdealMs = ((threecx.CreateUser ?? 0) * LATENCY_MS) / maxInFlight;
    const createCalls = run.calls.filter(
      (c) => c.method === "POST" && new URL(c.url).pathname === "/xapi/v1/Users",
    );
    const createPhaseMs =
      Math.max(...createCalls.map((c) => c.endMs)) - Math.min(...createCalls.map((c) => c.startMs));
    const targetMs = 1.25 * createsIdealMs + path.rounds * LATENCY_MS;
    return {
      maxInFlight,
      run,
      google,
      threecx,
      path,
      createsIdealMs,
      createPhaseMs,
      targetMs,
      maxConcurrent: demo.threecx.stats.maxConcurrent,
      simulatorsCpuMs,
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    await demo.close();
  }
}

async function realtimeScenario(dir: string) {
  const demo = await startDemoSimulators();
  const env = { ...process.env, ...demo.env };
  const settings = loadSettings({
    env,
    base: { ...demo.settings, logLevel: "error", embedded: { stateDbPath: join(dir, "realtime.db") } },
  });
  const logger = createLogger(
    { component: "gw3cx-bench" },
    { level: "error", destination: stderrDestination },
  );
  const runtime = await createEmbeddedRuntime(settings, logger, { env });
  const channelToken = demo.env.GW3CX_DEMO_CHANNEL_TOKEN as string;
  const host = await startLocalHost(runtime, channelToken);
  const worker = await startUserSyncWorker(runtime);
  try {
    await renewDirectoryChannels(
      { directory: runtime.userSync.directory, state: runtime.userSync.state, clock: systemClock, logger },
      { webhookUrl: host.webhookUrl, channelToken, force: true },
    );
    const first = await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
    if (first.run.status !== "applied") throw new Error(`first sync ${first.run.status}`);
    const state = demo.threecx.state;
    const targets = (await new UserLinkStore(runtime.userSync.state).all()).filter(
      (link) => state.users.get(link.threecxId)?.Enabled === true,
    );
    if (targets.length === 0) throw new Error("no linked, enabled users to change");

    const waitFor = (threecxId: number, name: string, timeoutMs = 10_000) =>
      new Promise<boolean>((resolve) => {
        const deadline = performance.now() + timeoutMs;
        const poll = () => {
          if (state.users.get(threecxId)?.FirstName === name) resolve(true);
          else if (performance.now() > deadline) resolve(false);
          else setImmediate(poll);
        };
        poll();
      });

    const times: number[] = [];
    let missed = 0;
    demo.google.resetRequests();
    demo.threecx.resetStats();
    let counted = { google: {} as Record<string, number>, threecx: {} as Record<string, number> };
    const loadBefore = load();
    for (let i = 0; i < REALTIME_WARMUP + REALTIME_CHANGES; i++) {
      if (i === REALTIME_WARMUP) {
        demo.google.resetRequests();
        demo.threecx.resetStats();
      }
      const link = targets[i % targets.length] as (typeof targets)[number];
      const name = `Realtime${i}`;
      const started = performance.now();
      demo.google.tenant.updateUser(link.googleId, { givenName: name });
      const seen = await waitFor(link.threecxId, name);
      const ms = performance.now() - started;
      if (i < REALTIME_WARMUP) continue;
      if (seen) times.push(ms);
      else missed++;
    }
    await demo.google.notificationsIdle();
    counted = { google: googleCounts(demo.google), threecx: { ...demo.threecx.stats.requests } };
    times.sort((a, b) => a - b);
    return { times, missed, users: targets.length, counted, loadBefore, loadAfter: load() };
  } finally {
    await worker.close();
    await host.close();
    await runtime.close();
    await demo.close();
  }
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}

const suite: BenchSuite = async () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-user-sync-"));
  try {
    process.stderr.write("user-sync: 10,000 users in sync ...\n");
    const inSync = await inSyncScenario(dir);
    // GW3CX_BENCH_DUMP=FILE: write scenario 1's raw figures (every request's timing) there and stop.
    if (process.env.GW3CX_BENCH_DUMP) {
      writeFileSync(process.env.GW3CX_BENCH_DUMP, JSON.stringify(inSync));
      process.exit(0);
    }
    const creates: Awaited<ReturnType<typeof createScenario>>[] = [];
    for (const c of CREATE_CONCURRENCIES) {
      process.stderr.write(`user-sync: ${NEW_USERS} new users, maxInFlight ${c} ...\n`);
      creates.push(await createScenario(dir, c));
    }
    process.stderr.write("user-sync: real-time path ...\n");
    const rt = await realtimeScenario(dir);

    // ---- 1 and 3 ----
    const s1 = inSync.run;
    const dirCalls = inSync.google["directory.users.list"] ?? 0;
    const threecxWrites = WRITE_OPS.reduce((n, op) => n + (inSync.threecx[op] ?? 0), 0);
    const threecxLists = listOps.reduce((n, op) => n + (inSync.threecx[op] ?? 0), 0);
    const tops = topsUsed(s1.calls);
    const criticalMs = inSync.path.rounds * LATENCY_MS;
    const s1Ratio = s1.wallMs / criticalMs;
    const freshWalls = inSync.fresh.map((f) => round(f.run.wallMs));
    const freshRatios = inSync.fresh.map((f) => f.run.wallMs / criticalMs);
    // Counts must hold in every fresh run, not just the median one.
    const everyRun = (count: (f: (typeof inSync.fresh)[number]) => number, want: number) =>
      inSync.fresh.every((f) => count(f) === want);
    const everyRunDirectory = everyRun((f) => f.google["directory.users.list"] ?? 0, 20);
    const everyRunNoWrites = everyRun((f) => WRITE_OPS.reduce((n, op) => n + (f.threecx[op] ?? 0), 0), 0);
    const { googleUrl, threecxUrl } = inSync;
    const pages = s1.phases.directoryPages;
    const directoryDone = pages.at(-1)?.[1] ?? 0;
    const firstPage = pages[0]?.[1] ?? 0;
    const laterPages = pages.slice(1).map(([a, b]) => b - a);
    const pageMean = laterPages.reduce((a, b) => a + b, 0) / Math.max(1, laterPages.length);
    const threecxDone = Math.max(s1.phases.threecxUsersDone ?? 0, s1.phases.threecxDnsDone ?? 0);

    const rows: (string | number)[][] = [
      [
        "1. 10,000 in sync: Directory calls",
        dirCalls,
        "20 (500 a page)",
        verdict(dirCalls === 20 && everyRunDirectory),
        `\`directory.users.list\` requests the Workspace simulator served (the same in all ${FRESH_RUNS} runs: ${everyRunDirectory ? "yes" : "**no**"})`,
      ],
      [
        "1. 10,000 in sync: 3CX writes",
        threecxWrites,
        "0",
        verdict(threecxWrites === 0 && everyRunNoWrites),
        `CreateUser + UpdateUser requests the 3CX simulator served (none in all ${FRESH_RUNS} runs: ${everyRunNoWrites ? "yes" : "**no**"})`,
      ],
      [
        "1. 10,000 in sync: 3CX reads",
        `${threecxLists} list requests ($top=${tops})`,
        "largest page 3CX serves (1000)",
        verdict(tops === "1000"),
        `ListUser ${inSync.threecx.ListUser ?? 0} + ListPeer ${inSync.threecx.ListPeer ?? 0}; $top read from the request URLs`,
      ],
      [
        "1. 10,000 in sync: wall time, fresh process",
        `${round(s1.wallMs)} ms (${round(s1Ratio, 2)}x)`,
        `<= 1.5 x ${criticalMs} ms = ${round(1.5 * criticalMs)} ms`,
        verdict(s1Ratio <= 1.5),
        `syncAllUsers start to end, median of ${FRESH_RUNS} fresh processes (${freshWalls.join(", ")} ms; ${round(Math.min(...freshRatios), 2)}-${round(Math.max(...freshRatios), 2)}x); critical path = ${inSync.path.rounds} round trips x ${LATENCY_MS} ms`,
      ],
      [
        "1. 10,000 in sync: wall time, warm process",
        `${round(inSync.warmWallMs)} ms (${round(inSync.warmWallMs / criticalMs, 2)}x)`,
        `<= 1.5 x ${criticalMs} ms = ${round(1.5 * criticalMs)} ms`,
        verdict(inSync.warmWallMs / criticalMs <= 1.5),
        "the same sync run a second time in one process (a warm instance, `npm start`)",
      ],
    ];
    for (const c of creates) {
      const n = c.threecx.CreateUser ?? 0;
      rows.push(
        [
          `2. 2,000 new (maxInFlight ${c.maxInFlight}): creates`,
          n,
          "exactly 2,000",
          verdict(
            n === NEW_USERS &&
              (c.run.applied?.creates ?? 0) === NEW_USERS &&
              c.everyRunCreates.every((count) => count === NEW_USERS),
          ),
          `CreateUser requests served; run applied ${c.run.applied?.creates ?? 0}, ${c.run.errors} errors; every run: ${c.everyRunCreates.join(", ")}`,
        ],
        [
          `2. 2,000 new (maxInFlight ${c.maxInFlight}): wall time`,
          `${round(c.run.wallMs)} ms (median of ${FRESH_CREATE_RUNS}: ${c.walls.map((w) => round(w)).join(", ")})`,
          `<= 1.25 x ${round(c.createsIdealMs)} + ${c.path.rounds * LATENCY_MS} = ${round(c.targetMs)} ms`,
          verdict(c.run.wallMs <= c.targetMs),
          `2,000 x ${LATENCY_MS} ms / ${c.maxInFlight} for the creates, plus ${c.path.rounds} listing round trips`,
        ],
      );
    }
    rows.push(
      [
        "3. 10,000 in sync: peak RSS",
        `${round(s1.vmHwmMb)} MB`,
        `< ${RSS_LIMIT_MB} MB`,
        verdict(s1.vmHwmMb < RSS_LIMIT_MB),
        `VmHWM of a process running only that sync (sampled RSS max ${round(s1.rssPeakSampledMb)} MB, ${round(s1.rssBeforeMb)} MB before it started)`,
      ],
      [
        "4. real time, webhook to 3CX: p50 / p99",
        `${round(percentile(rt.times, 50), 1)} / ${round(percentile(rt.times, 99), 1)} ms`,
        "reported (no injected latency)",
        rt.missed === 0 ? "measured" : `**${rt.missed} missed**`,
        `${rt.times.length} name changes (after ${REALTIME_WARMUP} warm-up), one at a time, over ${rt.users} linked users`,
      ],
    );

    const perChange = (n: number) => round(n / REALTIME_CHANGES, 2);
    const createRows = creates.map((c) => [
      c.maxInFlight,
      c.run.applied?.creates ?? 0,
      round(c.run.wallMs),
      `${round(c.createPhaseMs)} (${round(c.createPhaseMs / c.createsIdealMs, 2)}x)`,
      round(c.createsIdealMs),
      c.path.rounds * LATENCY_MS,
      round(c.targetMs),
      `${round(((c.createsIdealMs + c.path.rounds * LATENCY_MS) / c.run.wallMs) * 100)}%`,
      c.maxConcurrent,
      round(c.run.cpuMs),
      round(c.simulatorsCpuMs),
      `${c.loadBefore} / ${c.loadAfter}`,
    ]);

    return {
      title: "User sync: full runs and the real-time path against both simulators",
      markdown: [
        `Command: \`npm run bench -- user-sync\`. Embedded runtime (SQLite state file, in-process bus), both simulators on loopback (for 1, the 3CX simulator in a process of its own, as a PBX is another machine; otherwise both in the bench process); each full sync runs in a forked process of its own (\`test/bench/user-sync/sync-child.ts\`). Injected latency for 1-3: ${LATENCY_MS} ms on every route of both simulators (Google \`addFault({operation: "*"})\`, 3CX \`faults.add({latencyMs})\`), token requests included; the simulators do their own work inside that time, as a server does inside a round trip. \`startingExtension\` 1000 (numbers are planned, no GetFirstAvailableExtensionNumber calls).`,
        "",
        markdownTable(["target", "measured", "target", "result", "what was counted"], rows),
        "",
        `**1. 10,000 users, nothing changed.** The state is built first: 10,000 Workspace users and the same 10,000 people on 3CX (same email, name and work phone), linked by one sync with no latency (${inSync.linking.applied?.adoptions} adoptions, ${round(inSync.linking.wallMs)} ms, peak RSS ${round(inSync.linking.vmHwmMb)} MB). Then \`syncAllUsers\` is timed again in ${FRESH_RUNS} fresh processes, one after another; the figures below are from the median one. Plan ${describeCounts(s1.counts ?? {})}.`,
        "",
        `- Workspace requests: ${describeCounts(inSync.google)} (most in flight at once: ${maxOverlap(s1.calls, googleUrl)}).`,
        `- 3CX requests: ${describeCounts(inSync.threecx)} (most in flight at once: ${maxOverlap(s1.calls, threecxUrl)}; maxInFlight ${DEFAULT_MAX_IN_FLIGHT}).`,
        `- Critical path: ${inSync.path.formula} = ${inSync.path.rounds} round trips x ${LATENCY_MS} ms = ${criticalMs} ms. Directory pages are sequential (each page's token is in the previous answer); the 3CX user pages, the DNs that are not users and the stored links are read at the same time, and each Directory page is planned as it arrives.`,
        `- Where the time went: Directory listing done at ${round(directoryDone)} ms (ideal ${inSync.path.googleSequential * LATENCY_MS}): the first page, with the delegation token before it, at ${round(firstPage)} ms (ideal ${(inSync.path.googleSequential - pages.length + 1) * LATENCY_MS}), then ${round(pageMean, 1)} ms a page (ideal ${LATENCY_MS}); 3CX users and DNs read by ${round(threecxDone)} ms (ideal ${inSync.path.threecxRounds * LATENCY_MS}); planning and recording the run ${round(s1.wallMs - Math.max(threecxDone, directoryDone))} ms after the last read. CPU of the sync process during the run ${round(s1.cpuMs)} ms; of the two simulators (each in its own process) ${round(inSync.simulatorsCpuMs)} ms.`,
        `- Load average before / after: ${inSync.loadBefore} / ${inSync.loadAfter}.`,
        "",
        `**2. 2,000 new users on an empty PBX** (\`threecx.maxInFlight\` = users written at once; default ${DEFAULT_MAX_IN_FLIGHT}, the schema allows up to 64, so 32 is shown as well). Target = 1.25 x creates x ${LATENCY_MS} ms / maxInFlight + listing round trips x ${LATENCY_MS} ms: the users must be read (and the plan pass the safeguard) before the first create. "Creates alone" runs from the first create sent to the last one answered, next to creates x ${LATENCY_MS} ms / maxInFlight.`,
        "",
        markdownTable(
          [
            "maxInFlight",
            "creates",
            "took ms",
            "creates alone ms (of ideal)",
            "creates ideal ms",
            "listing ms",
            "target ms",
            "of ideal",
            "3CX max concurrent",
            "sync process CPU ms",
            "simulators CPU ms",
            "load before / after",
          ],
          createRows,
        ),
        "",
        ...creates.map(
          (c) =>
            `- maxInFlight ${c.maxInFlight}: Workspace ${describeCounts(c.google)}; 3CX ${describeCounts(c.threecx)}; listing path ${c.path.formula}.`,
        ),
        "",
        `**4. Real time** (demo organisation, no injected latency): after \`renewDirectoryChannels\` and a first sync, as \`npm start\` does, a user's given name is changed in the Workspace simulator (\`tenant.updateUser\`), which pushes to the local webhook (\`/directoryWebhook\`); the time runs until the 3CX simulator's state shows the new FirstName. p50 ${round(percentile(rt.times, 50), 1)} ms, p90 ${round(percentile(rt.times, 90), 1)} ms, p99 ${round(percentile(rt.times, 99), 1)} ms, max ${round(rt.times.at(-1) ?? Number.NaN, 1)} ms over ${rt.times.length} changes; ${rt.missed} not seen within 10 s. Per change: Workspace ${Object.entries(
          rt.counted.google,
        )
          .map(([op, n]) => `${op} ${perChange(n)}`)
          .join(", ")}; 3CX ${Object.entries(rt.counted.threecx)
          .map(([op, n]) => `${op} ${perChange(n)}`)
          .join(", ")}. Load average before / after: ${rt.loadBefore} / ${rt.loadAfter}.`,
      ].join("\n"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default suite;
