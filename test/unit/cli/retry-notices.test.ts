import { describe, expect, it } from "vitest";
import { withRetryNotices } from "../../../shared/cli/retry-notices.js";
import type { Logger } from "../../../shared/logging/logger.js";

/** A logger that records what it was given, as the CLI's quiet logger would drop it. */
function recordingLogger(seen: string[]): Logger {
  return { event: (name) => void seen.push(name), child: () => recordingLogger(seen) };
}

describe("retry notices on the terminal", () => {
  it("turns 3CX and Google retry events into one line each, through child loggers too", () => {
    const logged: string[] = [];
    const lines: string[] = [];
    const logger = withRetryNotices(recordingLogger(logged), (line) => lines.push(line)).child({
      runId: "r1",
    });
    logger.event("threecxRequestRetrying", {
      operation: "ListUser",
      attempt: 1,
      maxAttempts: 5,
      code: "THREECX_UNREACHABLE",
      reason: "3CX ListUser failed: no connection to the PBX (ECONNREFUSED)",
    });
    logger.event("threecxRequestRetrying", {
      operation: "ListPeer",
      attempt: 2,
      maxAttempts: 5,
      code: "THREECX_RATE_LIMITED",
      status: 429,
      retryAfterMs: 1500,
    });
    logger.event("googleCallRetried", {
      api: "directory",
      operation: "users.list",
      attempt: 3,
      maxAttempts: 6,
      status: 503,
      reason: "backendError",
    });
    logger.event("userSyncPlanned", { counts: {} });
    expect(lines).toEqual([
      "gw3cx: 3CX ListUser failed (3CX ListUser failed: no connection to the PBX (ECONNREFUSED)); retrying: attempt 2 of 5\n",
      "gw3cx: 3CX ListPeer failed (THREECX_RATE_LIMITED); retrying: attempt 3 of 5, after the 2 s the PBX asked for\n",
      "gw3cx: Google directory users.list failed (HTTP 503: backendError); retrying: attempt 4 of 6\n",
    ]);
    // The events still reach the logger underneath (and its --verbose lines).
    expect(logged).toEqual([
      "threecxRequestRetrying",
      "threecxRequestRetrying",
      "googleCallRetried",
      "userSyncPlanned",
    ]);
  });

  it("never prints a credential that a reason happens to carry", () => {
    const lines: string[] = [];
    withRetryNotices(recordingLogger([]), (line) => lines.push(line)).event("googleCallRetried", {
      api: "gmail",
      operation: "users.messages.send",
      attempt: 1,
      reason: "bad header Authorization: Bearer ya29.a0AfH6SMBsecretsecret",
    });
    expect(lines[0]).not.toContain("ya29.a0AfH6SMBsecretsecret");
  });
});
