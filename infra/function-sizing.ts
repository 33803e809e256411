import type { FunctionKey } from "./functions.js";

/** Google APIs with a published quota that a function calls (Firestore, Pub/Sub and Storage left out). */
export type QuotaApi = "directory" | "calendar" | "people" | "gmail" | "speech" | "recaptcha" | "cloudTasks";

/** How big each function is and how far it may scale: what it costs and what it can do to others. */
export interface FunctionSizing {
  /** Memory per instance, as Cloud Functions gen2 takes it ("256M", "512M", "1G"). */
  memory: string;
  /** vCPU per instance ("0.167", "0.333", "1"); more than one request at a time needs at least 1. */
  cpu: string;
  /** Longest a request may run; Pub/Sub push waits at most 600 s, Cloud Tasks at most 1,800 s. */
  timeoutSeconds: number;
  /** Requests one instance serves at once. */
  concurrency: number;
  /** Upper bound on instances: with concurrency, the most requests in flight at once. */
  maxInstances: number;
  /**
   * Calls the 3CX XAPI. Each instance builds one XAPI client, whose pool admits threecx.maxInFlight
   * requests whatever the concurrency, so such a function puts at most maxInstances x maxInFlight on
   * the PBX (sizing-budgets.ts).
   */
  callsPbx: boolean;
  /** The quota-bound Google APIs it calls (some only with a feature on, see the reason). */
  googleApis: readonly QuotaApi[];
  /** Why these numbers: the quota or the system downstream they protect. */
  reason: string;
}

/**
 * One place for every function's size and scale, read by the stack (gw3cx-stack.ts), the cost
 * estimate and the README's "Function sizing" table (a unit test keeps them equal).
 *
 * How the values were chosen:
 * - Below 1 vCPU Cloud Run serves one request at a time per instance; at 1 vCPU an instance serves
 *   many. The handlers mostly wait on Google and 3CX, and the single machine (`npm start`) already
 *   runs them concurrently in one process (8 user changes, 32 calendar changes at once), so the
 *   functions that take bursts get 1 vCPU and concurrency: one instance does the work of many
 *   fractional ones, starts in about 1 s instead of several (BENCHMARKS.md, function artifacts:
 *   about 0.9 s on a full core), and shares one XAPI pool, which is what bounds the PBX.
 * - Memory costs about a fortieth of a vCPU per second, so a 1 vCPU function gets 512M of headroom
 *   unless its work is trivially small; a fractional one gets 256M where the bench measured it
 *   small, 512M where nothing was measured.
 * - maxInstances is small for every PBX caller: their sum times threecx.maxInFlight is what the PBX
 *   can see at once (PBX_XAPI_IN_FLIGHT_BUDGET, enforced at synthesis).
 * - A Pub/Sub-pushed function's timeout is at most 600 s, the longest a push subscription waits
 *   (its ack deadline is set to the timeout, push-delivery.ts).
 * - A request Cloud Run cannot place waits up to 60 s for an instance, then gets 429: Google's
 *   push notifications are not retried after a 429 (only after 5xx), Pub/Sub counts it as a failed
 *   delivery (five and the message is dead-lettered), so capacity must cover the bursts.
 */
export const FUNCTION_SIZING: Record<FunctionKey, FunctionSizing> = {
  directoryWebhook: {
    memory: "256M",
    cpu: "1",
    timeoutSeconds: 60,
    concurrency: 40,
    maxInstances: 5,
    callsPbx: false,
    googleApis: [],
    reason:
      "Takes every Directory and Calendar notification: a meeting of hundreds moved is hundreds at once, and Google does not resend one refused with 429, so 200 at once; each is a Firestore read and a publish.",
  },
  userSyncWorker: {
    memory: "512M",
    cpu: "1",
    timeoutSeconds: 540,
    concurrency: 8,
    maxInstances: 1,
    callsPbx: true,
    googleApis: ["directory", "gmail"],
    reason:
      "One user per message, 8 at once as on the single machine; a bulk change (hundreds suspended) drains at that pace without 429s. One instance: one XAPI pool.",
  },
  dailySync: {
    memory: "1G",
    cpu: "1",
    timeoutSeconds: 600,
    concurrency: 4,
    maxInstances: 1,
    callsPbx: true,
    googleApis: ["directory", "calendar", "people", "gmail", "cloudTasks"],
    reason:
      "One process for the nightly run (10,000 users' calendar resync peaked at 314 MB), with room for the every-minute presence tick and the digest beside it; 600 s is Pub/Sub's longest wait.",
  },
  presenceWorker: {
    memory: "512M",
    cpu: "1",
    timeoutSeconds: 300,
    concurrency: 16,
    maxInstances: 2,
    callsPbx: true,
    googleApis: ["calendar", "directory", "cloudTasks"],
    reason:
      "One user's decision per message; 32 at once absorb a moved meeting and the first decisions queued by channel set-up (25 a second); 300 s outlasts a Google call's retries (120 s).",
  },
  presenceBoundary: {
    memory: "512M",
    cpu: "1",
    timeoutSeconds: 60,
    concurrency: 10,
    maxInstances: 1,
    callsPbx: true,
    googleApis: ["calendar", "directory", "cloudTasks"],
    reason:
      "Serves every dispatch the boundary queue makes at once (10) in one instance: none refused with 429, one XAPI pool; 60 s is the tasks' dispatch deadline.",
  },
  statusPage: {
    memory: "512M",
    cpu: "1",
    timeoutSeconds: 540,
    concurrency: 8,
    maxInstances: 1,
    callsPbx: true,
    googleApis: ["directory", "gmail"],
    reason:
      "A few admins; an approval applies a held run within the request while the page still answers others; a 1 s cold start for a person waiting.",
  },
  recaptchaVerify: {
    memory: "256M",
    cpu: "0.167",
    timeoutSeconds: 30,
    concurrency: 1,
    maxInstances: 3,
    callsPbx: false,
    googleApis: ["recaptcha"],
    reason:
      "One assessment per form post; with recaptcha.maxRequestsPerMinute per instance, 3 instances bound a caller's rate overall.",
  },
  contactsWorker: {
    memory: "256M",
    cpu: "0.167",
    timeoutSeconds: 540,
    concurrency: 1,
    maxInstances: 2,
    callsPbx: true,
    googleApis: ["people"],
    reason:
      "One user's phonebook per message under V8 limits measured at 119 MB for 1,000 contacts; not urgent, so 2 at a time (a 1,000-contact first sync takes about 40 s).",
  },
  transcriptionWorker: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 600,
    concurrency: 1,
    maxInstances: 10,
    callsPbx: false,
    googleApis: ["speech", "directory", "gmail"],
    reason:
      "Waits on Speech for long audio (Pub/Sub's 600 s at most); at most 10 recognitions at once; memory not measured deployed, so the default pair. Directory and Gmail only to mail voicemails.",
  },
};
