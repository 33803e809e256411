import { apiError, type GoogleWireError, oauthError } from "./wire.js";

/**
 * Failure modes a test switches on per route. `operation` names a route the way Google's discovery
 * does ("directory.users.list", "calendar.events.list", "oauth.token", ...), a prefix with ".*"
 * ("calendar.*"), or "*". A fault applies to the next `times` matching requests (default: all).
 */
export interface RouteFault {
  operation: string;
  /** Added before the request is handled. */
  latencyMs?: number;
  /** The answer instead of the real one. */
  error?: "500" | "502" | "503" | "429" | "403-rateLimitExceeded" | "403-userRateLimitExceeded";
  /** Seconds a 429 asks the client to wait (its Retry-After header); default 1. */
  retryAfterSeconds?: number;
  times?: number;
}

/**
 * Push-delivery faults: drop, deliver twice, or hold the next `times` notifications (default 2 for
 * reorder) and deliver them last-first once all have arrived.
 */
export interface NotificationFault {
  kind: "drop" | "duplicate" | "reorder";
  times?: number;
  /** Only notifications of this channel; default any. */
  channelId?: string;
}

interface Armed<T> {
  fault: T;
  remaining: number;
}

function matches(pattern: string, operation: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return operation.startsWith(pattern.slice(0, -1));
  return pattern === operation;
}

export class FaultInjector {
  private routeFaults: Armed<RouteFault>[] = [];
  private notificationFaults: Armed<NotificationFault>[] = [];

  addRouteFault(fault: RouteFault): void {
    this.routeFaults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  addNotificationFault(fault: NotificationFault): void {
    const times = fault.times ?? (fault.kind === "reorder" ? 2 : Number.POSITIVE_INFINITY);
    this.notificationFaults.push({ fault, remaining: times });
  }

  clear(): void {
    this.routeFaults = [];
    this.notificationFaults = [];
  }

  /** Consumes the faults that apply to this request: total latency and the first error, if any. */
  forRequest(operation: string): { latencyMs: number; error?: GoogleWireError } {
    let latencyMs = 0;
    let error: GoogleWireError | undefined;
    for (const armed of this.routeFaults) {
      if (armed.remaining <= 0 || !matches(armed.fault.operation, operation)) continue;
      armed.remaining--;
      latencyMs += armed.fault.latencyMs ?? 0;
      if (!error && armed.fault.error) error = wireErrorFor(armed.fault, operation === "oauth.token");
    }
    this.routeFaults = this.routeFaults.filter((a) => a.remaining > 0);
    return { latencyMs, error };
  }

  /** The delivery fault for this notification, consumed; `last` when the fault is used up. */
  forNotification(channelId: string): { kind: NotificationFault["kind"]; last: boolean } | undefined {
    for (const armed of this.notificationFaults) {
      if (armed.remaining <= 0) continue;
      if (armed.fault.channelId && armed.fault.channelId !== channelId) continue;
      armed.remaining--;
      this.notificationFaults = this.notificationFaults.filter((a) => a.remaining > 0);
      return { kind: armed.fault.kind, last: armed.remaining <= 0 };
    }
    return undefined;
  }
}

/**
 * The error as the faulted endpoint writes it: the token endpoint answers in OAuth's own shape
 * ({error, error_description}), every API in Google's {error:{code,message,errors,status}}.
 */
function wireErrorFor(fault: RouteFault, oauth: boolean): GoogleWireError {
  const kind = fault.error as NonNullable<RouteFault["error"]>;
  const retryAfter = { "Retry-After": String(fault.retryAfterSeconds ?? 1) };
  if (oauth) {
    if (kind === "429") return oauthError(429, "rate_limit_exceeded", "Rate Limit Exceeded", retryAfter);
    if (kind.startsWith("403")) return oauthError(403, "rate_limit_exceeded", "Rate Limit Exceeded");
    return oauthError(Number(kind), "internal_failure", "Backend Error");
  }
  switch (kind) {
    case "500":
      return apiError(500, "backendError", "Backend Error", { status: "INTERNAL" });
    case "502":
      return apiError(502, "backendError", "Bad Gateway", { status: "UNAVAILABLE" });
    case "503":
      return apiError(503, "backendError", "The service is currently unavailable.", {
        status: "UNAVAILABLE",
      });
    case "429":
      return apiError(429, "rateLimitExceeded", "Rate Limit Exceeded", {
        domain: "usageLimits",
        headers: retryAfter,
      });
    case "403-rateLimitExceeded":
      return apiError(403, "rateLimitExceeded", "Rate Limit Exceeded", { domain: "usageLimits" });
    case "403-userRateLimitExceeded":
      return apiError(403, "userRateLimitExceeded", "User Rate Limit Exceeded", { domain: "usageLimits" });
  }
}
