import pRetry from "p-retry";
import { classifyGoogleError, type GoogleFailure } from "./google-errors.js";

/** Backoff for transient Google failures (429, 403 rate reasons, 5xx, network). */
export interface RetryPolicy {
  /** Further attempts after the first; 0 disables retrying. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Google asks for jitter; tests turn it off for determinism. */
  jitter: boolean;
  /**
   * No attempt starts later than this after the first: the last backoff is shortened to end at it.
   * An attempt under way is bounded by the request timeouts. Unset: only `retries` bounds it.
   */
  windowMs?: number;
}

/**
 * Google's documented schedule: 1 s, 2 s, 4 s, 8 s, 16 s plus random jitter (each delay up to
 * twice that), and no attempt later than 60 s after the first.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  minDelayMs: 1000,
  maxDelayMs: 32_000,
  jitter: true,
  windowMs: 60_000,
};

export type RetryObserver = (attempt: {
  attemptNumber: number;
  /** attemptNumber of the last attempt the policy allows. */
  maxAttempts: number;
  failure: GoogleFailure;
  retriesLeft: number;
}) => void;

/** Runs `operation`, retrying transient failures by the policy; permanent ones fail at once. */
export async function withRetry<T>(
  operation: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry?: RetryObserver,
  /** Errors this caller must not retry even if transient (e.g. already retried further down). */
  isFinal: (error: unknown) => boolean = () => false,
): Promise<T> {
  return pRetry(operation, {
    retries: policy.retries,
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    randomize: policy.jitter,
    ...(policy.windowMs === undefined ? {} : { maxRetryTime: policy.windowMs }),
    shouldRetry: ({ error, attemptNumber, retriesLeft }) => {
      const failure = classifyGoogleError(error);
      const retry = failure.transient && !isFinal(error);
      if (retry) onRetry?.({ attemptNumber, maxAttempts: policy.retries + 1, failure, retriesLeft });
      return retry;
    },
  });
}
