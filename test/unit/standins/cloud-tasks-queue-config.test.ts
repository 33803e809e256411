import { describe, expect, it } from "vitest";
import {
  DEFAULT_QUEUE_CONFIG,
  mayRetry,
  type QueueConfig,
  retryDelayMs,
} from "../../standins/cloud-tasks/queue-config.js";

describe("Cloud Tasks stand-in: retry schedule", () => {
  const config = (over: Partial<QueueConfig>): QueueConfig => ({ ...DEFAULT_QUEUE_CONFIG, ...over });

  it("follows RetryConfig's documented example: 10, 20, 40, 80, 160, 240, 300, 300 s", () => {
    const example = config({ minBackoffMs: 10_000, maxBackoffMs: 300_000, maxDoublings: 3 });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((retry) => retryDelayMs(example, retry) / 1000)).toEqual([
      10, 20, 40, 80, 160, 240, 300, 300,
    ]);
  });

  it("with no doublings grows linearly from the start", () => {
    const linear = config({ minBackoffMs: 1_000, maxBackoffMs: 60_000, maxDoublings: 0 });
    expect([1, 2, 3].map((retry) => retryDelayMs(linear, retry))).toEqual([1_000, 2_000, 3_000]);
  });

  it("stops at max attempts when there is no age limit; -1 never stops", () => {
    const limited = config({ maxAttempts: 3, maxRetryDurationMs: 0 });
    expect(mayRetry(limited, 2, 0, 10 ** 9)).toBe(true);
    expect(mayRetry(limited, 3, 0, 0)).toBe(false);
    expect(mayRetry(config({ maxAttempts: -1 }), 10_000, 0, 10 ** 12)).toBe(true);
  });

  it("with an age limit, gives up only once both the attempts and the age are spent", () => {
    const both = config({ maxAttempts: 3, maxRetryDurationMs: 60_000 });
    expect(mayRetry(both, 5, 0, 30_000)).toBe(true);
    expect(mayRetry(both, 2, 0, 90_000)).toBe(true);
    expect(mayRetry(both, 3, 0, 60_000)).toBe(false);
  });
});
