/**
 * A queue's dispatch settings as the stand-in applies them: Cloud Tasks' documented defaults for a
 * queue created through the API, overridden by what CreateQueue gave. Durations in milliseconds.
 */
export interface QueueConfig {
  maxDispatchesPerSecond: number;
  /**
   * Output only in Cloud Tasks, which picks it from the rate without documenting how. Assumed: one
   * second's worth of dispatches, at most 100 (the figure the API reports for the default 500/s).
   */
  maxBurstSize: number;
  maxConcurrentDispatches: number;
  /** -1: unlimited. */
  maxAttempts: number;
  /** 0: unlimited. */
  maxRetryDurationMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  maxDispatchesPerSecond: 500,
  maxBurstSize: 100,
  maxConcurrentDispatches: 1000,
  maxAttempts: 100,
  maxRetryDurationMs: 0,
  minBackoffMs: 100,
  maxBackoffMs: 3_600_000,
  maxDoublings: 16,
};

export function burstSizeFor(maxDispatchesPerSecond: number): number {
  return Math.max(1, Math.min(100, Math.ceil(maxDispatchesPerSecond)));
}

/**
 * The wait before retry number `retry` (1 = the first retry), as RetryConfig documents it: from
 * min_backoff, doubling max_doublings times, then growing linearly by min_backoff * 2^max_doublings,
 * capped at max_backoff (10 s, 300 s, 3 doublings: 10, 20, 40, 80, 160, 240, 300, 300, ...).
 */
export function retryDelayMs(config: QueueConfig, retry: number): number {
  const doublings = Math.max(0, config.maxDoublings);
  const step = retry - 1;
  const raw =
    step <= doublings
      ? config.minBackoffMs * 2 ** step
      : config.minBackoffMs * 2 ** doublings * (step - doublings + 1);
  return Math.min(config.maxBackoffMs, raw);
}

/** Whether a task that has failed `attempts` times, first attempted at firstAttemptAt, may run again. */
export function mayRetry(
  config: QueueConfig,
  attempts: number,
  firstAttemptAt: number,
  now: number,
): boolean {
  const attemptsLeft = config.maxAttempts === -1 || attempts < config.maxAttempts;
  // A zero max_retry_duration sets no age limit: attempts alone decide.
  if (config.maxRetryDurationMs <= 0) return attemptsLeft;
  // Otherwise Cloud Tasks gives up only once both limits are reached.
  return attemptsLeft || now - firstAttemptAt < config.maxRetryDurationMs;
}
