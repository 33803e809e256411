import type { LogEventName } from "../logging/log-events.js";
import type { Logger } from "../logging/logger.js";
import { redactString } from "../logging/redact.js";

/**
 * While a call to 3CX or Google is being retried, a person at the terminal should see that and why,
 * rather than a silent pause. The CLI drops its log lines unless --verbose; this wrapper still turns
 * the retry events into one readable line each, written to stderr (stdout stays for the result,
 * and for JSON only with --json).
 */
export function withRetryNotices(logger: Logger, write: (line: string) => void): Logger {
  return {
    event(name, fields) {
      logger.event(name, fields);
      const line = retryNotice(name, fields ?? {});
      if (line) write(`${redactString(line)}\n`);
    },
    child(context) {
      return withRetryNotices(logger.child(context), write);
    },
  };
}

/** The human line for a retry event, or undefined for any other event. */
export function retryNotice(name: LogEventName, fields: Record<string, unknown>): string | undefined {
  if (name === "threecxRequestRetrying") {
    const of = typeof fields.maxAttempts === "number" ? ` of ${fields.maxAttempts}` : "";
    const wait =
      typeof fields.retryAfterMs === "number" && fields.retryAfterMs > 0
        ? `, after the ${Math.ceil(fields.retryAfterMs / 1000)} s the PBX asked for`
        : "";
    const why = fields.reason ?? fields.code;
    return `gw3cx: 3CX ${String(fields.operation)} failed (${String(why)}); retrying: attempt ${Number(fields.attempt) + 1}${of}${wait}`;
  }
  if (name === "googleCallRetried") {
    const status = fields.status === undefined ? "no answer" : `HTTP ${String(fields.status)}`;
    const reason = fields.reason === undefined ? "" : `: ${String(fields.reason)}`;
    const of = typeof fields.maxAttempts === "number" ? ` of ${fields.maxAttempts}` : "";
    return `gw3cx: Google ${String(fields.api)} ${String(fields.operation)} failed (${status}${reason}); retrying: attempt ${Number(fields.attempt) + 1}${of}`;
  }
  return undefined;
}
