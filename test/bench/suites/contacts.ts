/**
 * Personal contacts (issue 11) end to end: embedded runtime (SQLite state file), both simulators in
 * this process, every measured run in a forked process of its own (test/bench/contacts/contacts-child.ts),
 * 25 ms injected latency on every route of both simulators:
 * 1. first sync, every user's labelled contacts into an empty personal phonebook, as one process runs
 *    it (`gw3cx contacts sync`, `npm start`): wall time next to its critical path;
 * 2. one user's first sync alone, as one gw3cx-contacts-worker delivery does: peak RSS (the goal is
 *    <= 128 MB per worker) and wall time next to that user's chain of calls, the first sync's critical
 *    path in the cloud, where every user has a worker of its own;
 * 3. the unchanged nightly run of 1,000 users (each synced once before, without latency): one People
 *    call per user, no 3CX write;
 * 4. the deployable gw3cx-contacts-worker itself (test/bench/contacts/worker-artifact.ts): the built
 *    artifact under the Functions Framework in its own process, Firestore (emulator stand-in) state,
 *    one push message for one user with PER_USER labelled contacts: its VmHWM before and after the
 *    message (the goal is <= 128 MB per worker) and the message's wall time.
 * Size: GW3CX_BENCH_CONTACTS_USERS (default 16) users x GW3CX_BENCH_CONTACTS_PER_USER (default 1000)
 * labelled contacts for 1 and 2, GW3CX_BENCH_CONTACTS_IN_FLIGHT (default 8, `threecx.maxInFlight`:
 * users at once); GW3CX_BENCH_CONTACTS_NIGHTLY_USERS (default 1000) x _NIGHTLY_PER_USER (default 10)
 * for 3. The first sync, 1,000 x 1,000, is a million creates, each user's one after another:
 * at 25 ms and 8 users at once about 52 minutes (GW3CX_BENCH_CONTACTS_USERS=1000 npm run bench -- contacts).
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTACTS_WORKER_NODE_OPTIONS } from "../../../infra/gw3cx-stack.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { SeedContact, TenantSeed } from "../../../shared/simulators/google/seed.js";
import { type BenchSuite, markdownTable } from "../bench-suite.js";
import type { ContactsChildInput, ContactsChildResult } from "../contacts/contacts-child.js";
import { measureWorkerArtifact, type WorkerArtifactResult } from "../contacts/worker-artifact.js";
import { round, threecxSeed, workspaceSeed } from "../user-sync/fixtures.js";

const USERS = Number(process.env.GW3CX_BENCH_CONTACTS_USERS ?? 16);
const PER_USER = Number(process.env.GW3CX_BENCH_CONTACTS_PER_USER ?? 1_000);
const IN_FLIGHT = Number(process.env.GW3CX_BENCH_CONTACTS_IN_FLIGHT ?? 8);
/** The night's cost does not depend on how many contacts are unchanged, so its users hold fewer. */
const NIGHTLY_USERS = Number(process.env.GW3CX_BENCH_CONTACTS_NIGHTLY_USERS ?? 1_000);
const NIGHTLY_PER_USER = Number(process.env.GW3CX_BENCH_CONTACTS_NIGHTLY_PER_USER ?? 10);
const LATENCY_MS = 25;
const LABEL = "3CX";
/** Every so many contacts one without the label: read, not written. */
const UNLABELLED_EVERY = 10;
const RSS_GOAL_MB = 128;
/** The wall time may exceed the critical path by this factor (the work between round trips). */
const WALL_FACTOR = 1.25;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const childScript = join(root, "test", "bench", "contacts", "contacts-child.ts");
const verdict = (ok: boolean) => (ok ? "PASS" : "**FAIL**");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
const sum = (counts: Record<string, number>, match: (key: string) => boolean = () => true) =>
  Object.entries(counts).reduce((n, [key, value]) => (match(key) ? n + value : n), 0);
const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");

/** PER_USER labelled contacts (and a few unlabelled ones) for each generated user. */
function seeds(users: number, perUser: number): TenantSeed {
  const google = workspaceSeed(users + 1);
  google.users = (google.users ?? []).map((user, u) => {
    if (!user.primaryEmail.startsWith("user")) return user;
    const contacts: SeedContact[] = [];
    for (let i = 0; i < perUser; i++) {
      contacts.push({
        givenName: `Contact${i}`,
        familyName: `Of${u}`,
        company: "Example GmbH",
        emails: [{ value: `c${i}.u${u}@example.org` }],
        phones: [
          { value: `+49151${String(u).padStart(4, "0")}${String(i).padStart(4, "0")}`, type: "mobile" },
          { value: `+4930${String(u).padStart(4, "0")}${String(i).padStart(4, "0")}`, type: "work" },
        ],
        labels: [LABEL],
      });
      if (i % UNLABELLED_EVERY === 0)
        contacts.push({ givenName: `Private${i}`, phones: [{ value: `+4940${u}${i}`, type: "home" }] });
    }
    return { ...user, labels: [LABEL], contacts };
  });
  return google;
}

function runChild(input: ContactsChildInput): Promise<ContactsChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(childScript, [JSON.stringify(input)], {
      cwd: root,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: ContactsChildResult | undefined;
    child.once("message", (message) => {
      result = message as ContactsChildResult;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`the contacts process exited with ${code} and no result`));
    });
  });
}

function childInput(demo: DemoSimulators, stateDbPath: string, mode: ContactsChildInput["mode"]) {
  const threecx = demo.settings.threecx as Record<string, unknown>;
  return {
    mode,
    base: {
      ...demo.settings,
      logLevel: "error",
      syncPersonalContacts: true,
      contactLabel: LABEL,
      calendarPresence: false,
      phoneRegion: "DE",
      embedded: { stateDbPath },
      threecx: { ...threecx, maxInFlight: IN_FLIGHT },
    },
    env: demo.env,
  } satisfies ContactsChildInput;
}

const isPeople = (key: string) => / \/v1\/(people|contactGroups)/.test(key);
const isContactWrite = (op: string) =>
  ["CreateContactByNumber", "UpdateContact", "DeleteContactsById"].includes(op);
/** What opens a run before any user is handled: 3CX token, SystemStatus, then users and departments side by side. */
const RUN_START_OPS = ["Token", "GetSystemStatus", "ListUser", "ListGroup"];

/**
 * A world of `users` users with `perUser` labelled contacts each, linked by a user sync (no latency),
 * with `primed` their contacts synced once as well (no latency), then latency on.
 */
async function world(dir: string, name: string, users: number, perUser: number, primed = false) {
  const demo = await startDemoSimulators({ google: seeds(users, perUser), threecx: threecxSeed() });
  const db = join(dir, `${name}.db`);
  const linked = await runChild(childInput(demo, db, "users"));
  if (linked.status !== "applied") throw new Error(`user sync ${linked.status}`);
  if (primed) {
    const synced = await runChild(childInput(demo, db, "contacts"));
    if (synced.status !== "applied") throw new Error(`first contacts sync ${synced.status}`);
  }
  demo.google.addFault({ operation: "*", latencyMs: LATENCY_MS });
  demo.threecx.faults.add({ latencyMs: LATENCY_MS });
  const measure = async (onlyEmail?: string) => {
    demo.google.resetRequests();
    demo.threecx.resetStats();
    const loadBefore = load();
    const run = await runChild({ ...childInput(demo, db, "contacts"), onlyEmail });
    const threecx = { ...demo.threecx.stats.requests };
    const peopleByUser = new Map<string, number>();
    for (const r of demo.google.requests)
      if (r.operation.startsWith("people."))
        peopleByUser.set(r.quotaUser ?? "?", (peopleByUser.get(r.quotaUser ?? "?") ?? 0) + 1);
    return { run, threecx, peopleByUser, loadBefore, loadAfter: load() };
  };
  return { demo, measure };
}

type Measured = Awaited<ReturnType<Awaited<ReturnType<typeof world>>["measure"]>>;

/** 3CX round trips that open a run before any user is handled: token, SystemStatus, then users and departments together. */
function runStartRounds(m: Measured) {
  const together = (m.threecx.ListUser ?? 0) > 0 || (m.threecx.ListGroup ?? 0) > 0 ? 1 : 0;
  const rounds = Math.min(1, m.threecx.Token ?? 0) + Math.min(1, m.threecx.GetSystemStatus ?? 0) + together;
  return { rounds, requests: sum(m.threecx, (op) => RUN_START_OPS.includes(op)) };
}

/**
 * A user's calls are a chain, each waiting for the one before: delegated token (signJwt, token
 * exchange), label lookup, People pages (each page token is in the previous answer), the phonebook,
 * then the creates one after another (so the PBX's limit is met in order). One user alone (2)
 * gives that chain: its requests after the run start.
 */
function userChain(worker: Measured): number {
  return sum(worker.run.requests) - runStartRounds(worker).requests;
}

/**
 * Round trips that cannot overlap: the run start, then the labelled users `inFlight` at a time, each
 * a chain as long as the one measured alone (every generated user has the same contacts); the
 * admin's short chain (no label: token and lookup) runs beside them.
 */
function criticalPath(m: Measured, labelledUsers: number, inFlight: number, chain: number) {
  const start = runStartRounds(m);
  const waves = Math.ceil(labelledUsers / inFlight);
  const rounds = start.rounds + waves * chain;
  return {
    rounds,
    ms: rounds * LATENCY_MS,
    formula: `${start.rounds} run-start rounds + ceil(${labelledUsers} labelled users / ${inFlight} at once) = ${waves} x ${chain} calls a user (measured in 2)`,
  };
}

const suite: BenchSuite = async () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-contacts-"));
  try {
    process.stderr.write(`contacts: the built contacts-worker, one message, ${PER_USER} contacts ...\n`);
    const artifactWorld = await startDemoSimulators({ google: seeds(1, PER_USER), threecx: threecxSeed() });
    let artifact: WorkerArtifactResult;
    try {
      artifact = await measureWorkerArtifact(
        artifactWorld,
        join(dir, "artifact"),
        { ...childInput(artifactWorld, join(dir, "unused.db"), "contacts").base, embedded: undefined },
        "user00000@example.com",
        LATENCY_MS,
        { nodeOptions: CONTACTS_WORKER_NODE_OPTIONS },
      );
    } finally {
      await artifactWorld.close();
    }

    process.stderr.write(`contacts: one worker, one user x ${PER_USER} contacts ...\n`);
    const single = await world(dir, "worker", 1, PER_USER);
    let worker: Measured;
    try {
      worker = await single.measure("user00000@example.com");
    } finally {
      await single.demo.close();
    }
    process.stderr.write(`contacts: first sync, ${USERS} users x ${PER_USER} contacts ...\n`);
    const tenant = await world(dir, "tenant", USERS, PER_USER);
    let first: Measured;
    try {
      first = await tenant.measure();
    } finally {
      await tenant.demo.close();
    }
    process.stderr.write(`contacts: unchanged night, ${NIGHTLY_USERS} users ...\n`);
    const night = await world(dir, "night", NIGHTLY_USERS, NIGHTLY_PER_USER, true);
    let nightly: Measured;
    try {
      nightly = await night.measure();
    } finally {
      await night.demo.close();
    }

    // The admin gw3cx acts as is synced too and has no label: one more user, its one call the lookup.
    const nightUsers = NIGHTLY_USERS + 1;
    const labelled = PER_USER;
    const created = first.run.contacts?.created ?? 0;
    const chain = userChain(worker);
    const firstPath = criticalPath(first, USERS, IN_FLIGHT, chain);
    const workerPath = criticalPath(worker, 1, 1, chain);
    const firstWrites = sum(first.threecx, isContactWrite);
    const nightlyPeople = sum(nightly.run.requests, isPeople);
    const nightlyPeopleAtSim = [...nightly.peopleByUser.values()].reduce((a, b) => a + b, 0);
    const everyUserOnce =
      nightly.peopleByUser.size === nightUsers && [...nightly.peopleByUser.values()].every((n) => n === 1);
    const nightlyWrites = sum(nightly.threecx, isContactWrite);

    const rows: (string | number)[][] = [
      [
        `1. first sync, ${USERS} x ${PER_USER}: contacts written`,
        created,
        `${USERS * labelled} (every labelled one, none twice)`,
        verdict(created === USERS * labelled && (first.threecx.CreateContactByNumber ?? 0) === created),
        `run counts; CreateContactByNumber served by the 3CX simulator: ${first.threecx.CreateContactByNumber ?? 0}; status ${first.run.status}`,
      ],
      [
        "1. first sync: wall time",
        `${round(first.run.wallMs)} ms (${round(first.run.wallMs / firstPath.ms, 2)}x)`,
        `<= ${WALL_FACTOR} x ${firstPath.ms} ms = ${round(WALL_FACTOR * firstPath.ms)} ms`,
        verdict(first.run.wallMs <= WALL_FACTOR * firstPath.ms),
        `syncAllContacts start to end in a fresh process; critical path ${firstPath.rounds} round trips x ${LATENCY_MS} ms`,
      ],
      [
        "1. first sync: peak RSS (one process, all users)",
        `${round(first.run.vmHwmMb)} MB`,
        "reported",
        "measured",
        `VmHWM; ${IN_FLIGHT} users at once; ${round(first.run.rssBeforeMb)} MB before the run started`,
      ],
      [
        `2. one worker, one user's first sync (${PER_USER} contacts): peak RSS`,
        `${round(worker.run.vmHwmMb)} MB`,
        `reported (the ${RSS_GOAL_MB} MB goal is the deployed worker's: row 4)`,
        "measured",
        `VmHWM of a process running only that user; ${round(worker.run.rssBeforeMb)} MB before the run started (the embedded runtime loaded under tsx), so the run itself added ${round(worker.run.vmHwmMb - worker.run.rssBeforeMb)} MB`,
      ],
      [
        "2. one worker: wall time",
        `${round(worker.run.wallMs)} ms (${round(worker.run.wallMs / workerPath.ms, 2)}x)`,
        `<= ${WALL_FACTOR} x ${workerPath.ms} ms = ${round(WALL_FACTOR * workerPath.ms)} ms`,
        verdict(worker.run.wallMs <= WALL_FACTOR * workerPath.ms),
        `the first sync's critical path in the cloud, where each user has a worker: ${workerPath.rounds} round trips`,
      ],
      [
        `3. unchanged nightly, ${nightUsers} users: People calls`,
        nightlyPeople,
        `${nightUsers} (one per user)`,
        verdict(nightlyPeople === nightUsers && nightlyPeopleAtSim === nightUsers && everyUserOnce),
        `sent (diagnostics channels) ${nightlyPeople}; served by the Workspace simulator ${nightlyPeopleAtSim}, by quotaUser: every user exactly once: ${everyUserOnce ? "yes" : "**no**"}`,
      ],
      [
        "3. unchanged nightly: 3CX writes",
        nightlyWrites,
        "0",
        verdict(nightlyWrites === 0 && (nightly.threecx.GetContactsByNumber ?? 0) === 0),
        `CreateContactByNumber + UpdateContact + DeleteContactsById served; phonebooks read: ${nightly.threecx.GetContactsByNumber ?? 0}`,
      ],
      [
        "3. unchanged nightly: wall time",
        `${round(nightly.run.wallMs)} ms`,
        "reported",
        "measured",
        `${nightly.run.contacts?.unchanged ?? 0} contacts unchanged; ${nightUsers} users, ${IN_FLIGHT} at once`,
      ],
      [
        `4. the built contacts-worker, one push message (${PER_USER} contacts): peak RSS`,
        `${round(artifact.hwmAfterMb)} MB`,
        `<= ${RSS_GOAL_MB} MB`,
        verdict(artifact.hwmAfterMb <= RSS_GOAL_MB && artifact.created === labelled),
        `VmHWM of the functions-framework process serving dist/functions/contacts-worker: ${round(artifact.hwmBeforeMb)} MB once it served (bundle loaded), ${round(artifact.hwmAfterMb)} MB after the message (${round(artifact.rssAfterMb)} MB resident then); ${artifact.created} contacts created, answer ${artifact.httpStatus}; NODE_OPTIONS "${CONTACTS_WORKER_NODE_OPTIONS}" as the stack deploys it`,
      ],
      [
        "4. the built contacts-worker: the message's wall time",
        `${round(artifact.wallMs)} ms`,
        "reported",
        "measured",
        `push request to answer, ${LATENCY_MS} ms on every simulator route; the worker's first message, so its clients are built in it; state in the Firestore emulator stand-in (a write per contact link)`,
      ],
    ];

    return {
      title: "Personal contacts: first sync, one worker, the unchanged night, the deployed worker",
      markdown: [
        `Command: \`npm run bench -- contacts\` (size: \`GW3CX_BENCH_CONTACTS_USERS=${USERS} GW3CX_BENCH_CONTACTS_PER_USER=${PER_USER} GW3CX_BENCH_CONTACTS_IN_FLIGHT=${IN_FLIGHT}\`; the issue's 1,000 x 1,000 is \`GW3CX_BENCH_CONTACTS_USERS=1000 npm run bench -- contacts\`, about 52 minutes of sequential creates at 8 users at once). Embedded runtime (SQLite state file); both simulators in the bench process, ${LATENCY_MS} ms injected on every route of both (token requests included); each run in a forked process (\`test/bench/contacts/contacts-child.ts\`) that counts its own requests on the diagnostics channels (undici for Google, node:http for 3CX). Every generated user has ${PER_USER} labelled contacts (name, company, email, mobile, work number) and one unlabelled one in ${UNLABELLED_EVERY}; users were created and linked by a user sync without latency first.`,
        "",
        markdownTable(["target", "measured", "target", "result", "what was counted"], rows),
        "",
        `- Critical path of 1: ${firstPath.formula} = ${firstPath.rounds} round trips x ${LATENCY_MS} ms = ${firstPath.ms} ms. Of 2: ${workerPath.formula}.`,
        `- 1, requests sent: ${describeCounts(first.run.requests)}; most in flight at once ${first.run.maxInFlight}; CPU of the run's process ${round(first.run.cpuMs)} ms; load before / after ${first.loadBefore} / ${first.loadAfter}. 3CX served: ${describeCounts(first.threecx)}; contact writes ${firstWrites}.`,
        `- 2, requests sent: ${describeCounts(worker.run.requests)}; sampled RSS max ${round(worker.run.rssPeakSampledMb)} MB. The process runs the TypeScript sources through tsx with the whole embedded runtime loaded (SQLite, every adapter), which a bundled gw3cx-contacts-worker does not carry: on this kind of machine tsx alone adds some 35 MB to a bare Node process; what the run adds over the loaded process is the part that grows with the contacts.`,
        `- 3, requests sent: ${describeCounts(nightly.run.requests)}; 3CX served: ${describeCounts(nightly.threecx)}; load before / after ${nightly.loadBefore} / ${nightly.loadAfter}.`,
      ].join("\n"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default suite;
