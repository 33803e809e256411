import type { FunctionKey } from "./functions.js";

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
  /** Why these numbers: the quota or the system downstream they protect. */
  reason: string;
}

/**
 * One place for every function's size and scale, read by the stack (gw3cx-stack.ts) and by the cost
 * estimate. Defaults of Cloud Functions gen2: 0.167 vCPU at 256 MB, 0.333 at 512 MB, concurrency 1.
 */
export const FUNCTION_SIZING: Record<FunctionKey, FunctionSizing> = {
  directoryWebhook: {
    memory: "256M",
    cpu: "0.167",
    timeoutSeconds: 60,
    concurrency: 1,
    maxInstances: 10,
    reason: "Verifies a channel token and publishes one message: small and short.",
  },
  userSyncWorker: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 540,
    concurrency: 1,
    maxInstances: 5,
    reason: "With threecx.maxInFlight requests each, this bounds the load on the 3CX API.",
  },
  dailySync: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 540,
    concurrency: 1,
    maxInstances: 1,
    reason: "One full reconcile at a time.",
  },
  presenceWorker: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 120,
    concurrency: 1,
    maxInstances: 5,
    reason:
      "One user's decision (a calendar read, a 3CX read, at most one write); meetings change in bursts, bounded for the PBX.",
  },
  presenceBoundary: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 60,
    concurrency: 1,
    maxInstances: 10,
    reason: "One instance per concurrent dispatch the boundary queue allows, so none is refused with 429.",
  },
  statusPage: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 540,
    concurrency: 1,
    maxInstances: 2,
    reason: "A few admins; approving a held run applies it within the request.",
  },
  recaptchaVerify: {
    memory: "256M",
    cpu: "0.167",
    timeoutSeconds: 30,
    concurrency: 1,
    maxInstances: 3,
    reason: "With recaptcha.maxRequestsPerMinute per instance, this bounds a caller's rate overall.",
  },
  contactsWorker: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 540,
    concurrency: 1,
    maxInstances: 5,
    reason: "With threecx.maxInFlight requests each, this bounds the load on the 3CX API.",
  },
  transcriptionWorker: {
    memory: "512M",
    cpu: "0.333",
    timeoutSeconds: 600,
    concurrency: 1,
    maxInstances: 10,
    reason:
      "Waits on Speech for long audio (Pub/Sub's 600 s at most); one notification per instance bounds concurrent Speech requests.",
  },
};
