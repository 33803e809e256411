import { type CostAssumptions, recordingMinutes } from "./assumptions.js";
import type { BilledSize, CostedFunction } from "./function-size.js";
import { MEASURED } from "./measured.js";

/** The settings' switches that change what runs (each off: its work, and its cost, is absent). */
export interface CostFeatures {
  calendarPresence: boolean;
  syncPersonalContacts: boolean;
  transcription: boolean;
  remoteArchiving: boolean;
  digest: boolean;
  recaptcha: boolean;
}

export interface UsageInputs {
  users: number;
  features: CostFeatures;
  assumptions: CostAssumptions;
  sizes: Readonly<Record<CostedFunction, BilledSize>>;
}

/** Firestore documents touched. */
export interface DocumentOps {
  reads: number;
  writes: number;
  deletes: number;
}

/** One kind of request a function serves, and what each one costs in time and in other services. */
export interface Workload {
  fn: CostedFunction;
  what: string;
  perMonth: number;
  /** Seconds one request runs, before Cloud Run rounds it up to the next 100 ms. */
  seconds: number;
  firestore: DocumentOps;
  /** Pub/Sub requests (publish or push) per request, each billed at least 1000 bytes. */
  pubsubRequests: number;
  pubsubBytesPerRequest: number;
  tasksOperations: number;
}

export interface FunctionUsage {
  fn: CostedFunction;
  requests: number;
  /** Instance starts billed (request-based billing charges start-up). */
  starts: number;
  /** Request time after rounding, plus start-up time. */
  billedSeconds: number;
  vcpuSeconds: number;
  gibSeconds: number;
}

export interface MonthlyUsage {
  workloads: Workload[];
  functions: FunctionUsage[];
  pubsubBytes: number;
  firestore: DocumentOps;
  tasksOperations: number;
  schedulerJobs: number;
  secretVersions: number;
  secretAccesses: number;
  storage: { gbMonths: number; classA: number; classB: number };
  speechMinutes: number;
  logBytes: number;
}

export const DAYS_PER_MONTH = 30;
const SCHEDULE_PER_MONTH = {
  nightly: DAYS_PER_MONTH,
  /** Channel renewal tick, "17 *\/3 * * *" (infra/constructs/scheduler.ts). */
  renewalTick: 8 * DAYS_PER_MONTH,
  /** Presence reconcile tick, "* * * * *". */
  reconcileTick: 24 * 60 * DAYS_PER_MONTH,
} as const;
/**
 * Cloud Run stops an idle instance after about 15 minutes (not guaranteed): at most one start per
 * quarter hour is counted, so a function called more often than that is assumed warm.
 */
const STARTS_CAP_PER_MONTH = 4 * 24 * DAYS_PER_MONTH;
/** The Directory watch channels: one per event type (add, update, delete, undelete). */
const DIRECTORY_CHANNELS = 4;
/** Calendar channels are requested for 7 days (calendar-channels.ts) and renewed before they lapse. */
const CALENDAR_CHANNEL_DAYS = 7;
/** The reconcile tick reads up to 500 boundaries, earliest first (reconcile-presence.ts, PAGE). */
const RECONCILE_PAGE = 500;
/** Hold subscriptions the digest reads, one per topic, plus the mail it sends. */
const DIGEST_CALLS = 8;
/** The Pub/Sub client sends up to 100 messages in one publish request. */
const PUBLISH_BATCH = 100;
const MIN_PUBSUB_BYTES = 1000;
/** A bucket notification (JSON object metadata and attributes). */
const OBJECT_NOTIFICATION_BYTES = 1500;
/** Secrets each function mounts at start (gw3cx-stack.ts): read once per instance start. */
const SECRETS_MOUNTED: Record<CostedFunction, number> = {
  directoryWebhook: 1,
  userSyncWorker: 1,
  dailySync: 2,
  presenceWorker: 1,
  presenceBoundary: 1,
  statusPage: 1,
  recaptchaVerify: 0,
  contactsWorker: 1,
  transcriptionWorker: 0,
};

const ops = (reads: number, writes = 0, deletes = 0): DocumentOps => ({ reads, writes, deletes });
const none = ops(0);

/**
 * One presence decision (a calendar change or a boundary) under the user's lease: link and
 * presence read; lease, presence and next boundary written; lease deleted (apply-presence.ts; a
 * test counts them on the real use case).
 */
export const PRESENCE_DECISION_OPS: Readonly<DocumentOps> = ops(2, 3, 1);

/** The reconcile tick reads the earliest boundaries, a page at most; an empty answer is still a read. */
export function reconcileTickReads(usersWithBoundaries: number): number {
  return Math.max(1, Math.min(RECONCILE_PAGE, usersWithBoundaries));
}

/**
 * What gw3cx does in a month for this many users with these features: requests per function and
 * their seconds, Firestore documents, Pub/Sub bytes, tasks, jobs, secrets, storage, speech, logs.
 * Counts come from the schedules and from what each use case does per user; durations from the
 * calls each request makes (at `apiRoundTripMs`) and the CPU the benchmarks measured.
 */
export function modelMonthlyUsage(inputs: UsageInputs): MonthlyUsage {
  const workloads = [...dailyWorkloads(inputs), ...eventWorkloads(inputs)].filter((w) => w.perMonth > 0);
  const functions = functionUsage(workloads, inputs.sizes);
  const firestore = ops(0);
  let pubsubBytes = 0;
  let tasksOperations = 0;
  for (const w of workloads) {
    firestore.reads += w.firestore.reads * w.perMonth;
    firestore.writes += w.firestore.writes * w.perMonth;
    firestore.deletes += w.firestore.deletes * w.perMonth;
    pubsubBytes += w.pubsubRequests * Math.max(MIN_PUBSUB_BYTES, w.pubsubBytesPerRequest) * w.perMonth;
    tasksOperations += w.tasksOperations * w.perMonth;
  }
  const { features, assumptions: a, users } = inputs;
  const minutes = features.remoteArchiving || features.transcription ? recordingMinutes(a, users) : 0;
  const recordings = minutes / a.minutesPerRecording;
  const requests = functions.reduce((sum, f) => sum + f.requests, 0);
  // Every Cloud Tasks attempt is logged too (the queue's samplingRatio is 1).
  const taskDeliveries = tasksOperations / 2;
  return {
    workloads,
    functions,
    pubsubBytes,
    firestore,
    tasksOperations,
    schedulerJobs: 2 + (features.calendarPresence ? 1 : 0) + (features.digest ? 1 : 0),
    // The 3CX client secret and the channel token; remote archiving adds the archiver key's secret.
    secretVersions: 2 + (features.remoteArchiving ? 1 : 0),
    secretAccesses: functions.reduce((sum, f) => sum + f.starts * SECRETS_MOUNTED[f.fn], 0),
    storage: {
      gbMonths: features.remoteArchiving
        ? (minutes * MEASURED.recordingMbPerMinute * a.retentionMonths) / 1024
        : 0,
      // 3CX uploads each recording; the worker writes its transcript.
      classA: (features.remoteArchiving ? recordings : 0) + (features.transcription ? recordings : 0),
      // Speech reads the audio, the worker reads its first bytes.
      classB: features.transcription ? 2 * recordings : 0,
    },
    speechMinutes: features.transcription ? minutes : 0,
    logBytes: (requests + taskDeliveries) * a.logBytesPerRequest,
  };
}

/** The daily function: the nightly run, the renewal tick, the presence tick, the digest. */
function dailyWorkloads({ users: n, features: f, assumptions: a, sizes }: UsageInputs): Workload[] {
  const rtt = a.apiRoundTripMs / 1000;
  const cpu = 1 / Math.min(1, sizes.dailySync.vcpu);
  const scheduled = { pubsubRequests: 2, pubsubBytesPerRequest: MIN_PUBSUB_BYTES, tasksOperations: 0 };

  // Nightly: the full user sync reads the Directory a page at a time and every stored link once.
  let nightlySeconds =
    (Math.ceil(n / MEASURED.directoryPageSize) + 2) * rtt + (n * MEASURED.userSyncCpuMsPerUser * cpu) / 1000;
  const nightly = ops(n + 2, 5);
  let nightlyTasks = 0;
  if (f.calendarPresence) {
    // Resync: every calendar read and decided under the user's lease (resync-calendars.ts).
    nightlySeconds +=
      (n * MEASURED.resyncCallsPerUser * rtt) / MEASURED.resyncConcurrency +
      (n * MEASURED.resyncCpuMsPerUser * cpu) / 1000;
    // Channel renewals: a watch and a stop each, at the pace the product keeps.
    const renewals = n / CALENDAR_CHANNEL_DAYS;
    nightlySeconds += (2 * renewals) / MEASURED.calendarCallsPerSecond;
    // Resync: the links once, then a decision per user; channels: the links and the channels.
    nightly.reads += n + n * PRESENCE_DECISION_OPS.reads + 2 * n;
    nightly.writes += n * PRESENCE_DECISION_OPS.writes + renewals;
    nightly.deletes += n * PRESENCE_DECISION_OPS.deletes + renewals;
    nightlyTasks += n;
  }
  let nightlyPublishes = 0;
  if (f.syncPersonalContacts) {
    // One request per user on gw3cx-contacts-requests, batched by the client.
    nightlyPublishes = Math.ceil(n / PUBLISH_BATCH);
    nightlySeconds += nightlyPublishes * rtt;
    nightly.writes += 1;
  }
  const list: Workload[] = [
    {
      fn: "dailySync",
      what: "nightly full sync",
      perMonth: SCHEDULE_PER_MONTH.nightly,
      seconds: nightlySeconds,
      firestore: nightly,
      pubsubRequests: 2 + nightlyPublishes,
      pubsubBytesPerRequest: MIN_PUBSUB_BYTES,
      tasksOperations: nightlyTasks,
    },
    {
      fn: "dailySync",
      what: "channel renewal tick",
      perMonth: SCHEDULE_PER_MONTH.renewalTick,
      // The Directory channels; with presence, the calendar channels against the links too.
      seconds: 2 * rtt + (f.calendarPresence ? 2 * rtt : 0),
      firestore: ops(DIRECTORY_CHANNELS + (f.calendarPresence ? 2 * n : 0)),
      ...scheduled,
    },
  ];
  if (f.calendarPresence) {
    list.push({
      fn: "dailySync",
      what: "presence reconcile tick",
      perMonth: SCHEDULE_PER_MONTH.reconcileTick,
      seconds: a.firestoreOpMs / 1000,
      firestore: ops(reconcileTickReads(n)),
      ...scheduled,
    });
  }
  if (f.digest) {
    list.push({
      fn: "dailySync",
      what: "daily digest",
      perMonth: SCHEDULE_PER_MONTH.nightly,
      seconds: DIGEST_CALLS * rtt,
      firestore: ops(10, 1),
      ...scheduled,
    });
  }
  return list;
}

/** Requests caused by people: Directory and calendar changes, boundaries, contacts, recordings, pages. */
function eventWorkloads({ users: n, features: f, assumptions: a }: UsageInputs): Workload[] {
  const rtt = a.apiRoundTripMs / 1000;
  const op = a.firestoreOpMs / 1000;
  const pushed = { pubsubRequests: 1, pubsubBytesPerRequest: MIN_PUBSUB_BYTES, tasksOperations: 0 };
  const directoryChanges = n * a.directoryChangesPerUserMonth;
  const calendarChanges = f.calendarPresence ? n * a.calendarChangesPerUserDay * a.workingDaysPerMonth : 0;
  const boundaries = f.calendarPresence ? 2 * n * a.meetingsPerUserDay * a.workingDaysPerMonth : 0;
  const minutes = f.transcription ? recordingMinutes(a, n) : 0;
  // The next boundary's task replaces the last one (a delete and a create).
  const presenceDecision = {
    seconds: (MEASURED.presenceCallsPerChange + 1) * rtt + 6 * op,
    firestore: { ...PRESENCE_DECISION_OPS },
    pubsubRequests: 1,
    pubsubBytesPerRequest: MIN_PUBSUB_BYTES,
    tasksOperations: 2,
  };
  return [
    {
      fn: "directoryWebhook",
      what: "Directory and calendar notifications",
      perMonth: directoryChanges + calendarChanges,
      // Verify the channel (one read), publish the change.
      seconds: op + rtt,
      firestore: ops(1),
      ...pushed,
    },
    {
      fn: "userSyncWorker",
      what: "one changed user",
      perMonth: directoryChanges,
      seconds: MEASURED.userChangeCalls * rtt + 4 * op,
      // Link read; lease and link written; lease deleted.
      firestore: ops(1, 2, 1),
      ...pushed,
    },
    { fn: "presenceWorker", what: "one calendar change", perMonth: calendarChanges, ...presenceDecision },
    {
      fn: "presenceBoundary",
      what: "a meeting starts or ends",
      perMonth: boundaries,
      ...presenceDecision,
      pubsubRequests: 0,
    },
    {
      fn: "contactsWorker",
      what: "one user's contacts, nightly",
      perMonth: f.syncPersonalContacts ? n * DAYS_PER_MONTH : 0,
      // A delegated token (2 calls) and the labelled connections, 1000 a page.
      seconds: (2 + Math.max(1, Math.ceil(a.contactsPerUser / 1000))) * rtt + 8 * op,
      // Every contact link of the user, the sync state, the run; lease, state, run user, run; lease.
      firestore: ops(a.contactsPerUser + 3, 4, 1),
      ...pushed,
    },
    {
      fn: "transcriptionWorker",
      what: "one recording or voicemail",
      perMonth: minutes / a.minutesPerRecording,
      seconds: 2 * rtt + a.minutesPerRecording * a.speechWaitSecondsPerMinute + 3 * op,
      firestore: ops(1, 2),
      // The bucket's notification is published and pushed.
      pubsubRequests: 2,
      pubsubBytesPerRequest: OBJECT_NOTIFICATION_BYTES,
      tasksOperations: 0,
    },
    {
      fn: "statusPage",
      what: "an admin opens the status page",
      perMonth: a.statusPageViewsPerMonth,
      // The last 50 runs, the Directory channels, every link; with presence, every calendar channel and
      // override too (read-status.ts).
      seconds: 4 * rtt + 4 * op,
      firestore: ops(n + (f.calendarPresence ? 2 * n : 0) + 50 + DIRECTORY_CHANNELS),
      pubsubRequests: 0,
      pubsubBytesPerRequest: 0,
      tasksOperations: 0,
    },
    {
      fn: "recaptchaVerify",
      what: "a form's token checked",
      perMonth: f.recaptcha ? a.recaptchaVerificationsPerMonth : 0,
      seconds: rtt,
      firestore: none,
      pubsubRequests: 0,
      pubsubBytesPerRequest: 0,
      tasksOperations: 0,
    },
  ];
}

/**
 * Rounded up to the next 100 ms. With request-based billing Cloud Run bills an instance while it
 * serves at least one request (and while it starts), rounded up to 100 ms. Each request is counted
 * as if it had the instance to itself: exact for sparse traffic, an upper bound where a function
 * serving several at once (concurrency > 1, function-sizing.ts) overlaps them. Tiny float noise
 * (under a microsecond) is not counted as a started 100 ms.
 */
export function billedRequestSeconds(seconds: number): number {
  return Math.ceil(Math.round(seconds * 1e6) / 1e5) / 10;
}

function functionUsage(
  workloads: readonly Workload[],
  sizes: Readonly<Record<CostedFunction, BilledSize>>,
): FunctionUsage[] {
  const byFn = new Map<CostedFunction, { requests: number; seconds: number }>();
  for (const w of workloads) {
    const entry = byFn.get(w.fn) ?? { requests: 0, seconds: 0 };
    entry.requests += w.perMonth;
    entry.seconds += w.perMonth * billedRequestSeconds(w.seconds);
    byFn.set(w.fn, entry);
  }
  return [...byFn].map(([fn, { requests, seconds }]) => {
    const size = sizes[fn];
    const starts = Math.min(requests, STARTS_CAP_PER_MONTH);
    // Loading is CPU-bound: a fraction of a vCPU loads the code more slowly than the bench's cores.
    const billedSeconds = seconds + (starts * MEASURED.loadSeconds[fn]) / Math.min(1, size.vcpu);
    return {
      fn,
      requests,
      starts,
      billedSeconds,
      vcpuSeconds: billedSeconds * size.vcpu,
      gibSeconds: billedSeconds * size.memoryGiB,
    };
  });
}
