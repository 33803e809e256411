import { Gw3cxError } from "../errors.js";

/**
 * Presence changes at event boundaries with no notification from Google: the next boundary of each
 * user is scheduled as a one-off wake-up. Cloud Tasks in the cloud (a task per user and instant,
 * named deterministically so a boundary is scheduled once however often it is asked for); timers
 * re-armed from the state store on the single machine. A lost wake-up is repaired by the reconcile
 * tick, so a scheduler may drop one under failure but must never deliver one early.
 */
export interface BoundaryWakeUp {
  /** The Workspace user id whose presence is due for a decision. */
  googleUserId: string;
  /** Epoch milliseconds of the boundary. */
  at: number;
}

export interface BoundaryScheduler {
  /** Idempotent per (googleUserId, at): scheduling the same wake-up again is a no-op. */
  schedule(wakeUp: BoundaryWakeUp): Promise<void>;
  /** Drops a scheduled wake-up that no longer applies; unknown ones are ignored. */
  cancel(wakeUp: BoundaryWakeUp): Promise<void>;
}

export type BoundarySchedulerErrorCode = "UNAVAILABLE" | "INVALID_ARGUMENT";

export class BoundarySchedulerError extends Gw3cxError<`BOUNDARY_${BoundarySchedulerErrorCode}`> {
  constructor(code: BoundarySchedulerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(`BOUNDARY_${code}`, message, options);
  }
}

/** Refuses what no boundary can be, naming the field and the value. */
export function assertWakeUp(wakeUp: BoundaryWakeUp): void {
  if (typeof wakeUp.googleUserId !== "string" || wakeUp.googleUserId.length === 0)
    throw new BoundarySchedulerError(
      "INVALID_ARGUMENT",
      `googleUserId must be a non-empty string, got ${JSON.stringify(wakeUp.googleUserId)}`,
    );
  if (!Number.isSafeInteger(wakeUp.at) || wakeUp.at < 0)
    throw new BoundarySchedulerError(
      "INVALID_ARGUMENT",
      `at must be epoch milliseconds (a non-negative integer), got ${JSON.stringify(wakeUp.at)}`,
    );
}
