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
  error?:
    | "500"
    | "502"
    | "503"
    | "429"
    | "403-rateLimitExceeded"
    | "403-userRateLimitExceeded"
    /** The API is not enabled in the caller's project (reason accessNotConfigured, SERVICE_DISABLED). */
    | "403-accessNotConfigured";
  /** The consumer project's number a 403-accessNotConfigured names (default 123456789012). */
  projectNumber?: string;
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
      if (!error && armed.fault.error) error = wireErrorFor(armed.fault, operation);
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
function wireErrorFor(fault: RouteFault, operation: string): GoogleWireError {
  const kind = fault.error as NonNullable<RouteFault["error"]>;
  const oauth = operation === "oauth.token";
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
    case "403-accessNotConfigured":
      return serviceDisabled(operation, fault.projectNumber ?? "123456789012");
  }
}

/** Each simulated API's Service Usage name and title, by the first part of its operation names. */
const SERVICES: Record<string, { service: string; title: string }> = {
  directory: { service: "admin.googleapis.com", title: "Admin SDK API" },
  calendar: { service: "calendar-json.googleapis.com", title: "Google Calendar API" },
  people: { service: "people.googleapis.com", title: "People API" },
  gmail: { service: "gmail.googleapis.com", title: "Gmail API" },
  iamcredentials: { service: "iamcredentials.googleapis.com", title: "IAM Service Account Credentials API" },
  iam: { service: "iam.googleapis.com", title: "Identity and Access Management (IAM) API" },
};

/**
 * What Google answers when the API is off in the project of the caller's OAuth client: 403 with
 * reason accessNotConfigured, a Help link to enable it and an ErrorInfo SERVICE_DISABLED naming the
 * service and the consumer project. People, a newer API, sends no errors[] list.
 */
function serviceDisabled(operation: string, projectNumber: string): GoogleWireError {
  const api = operation.split(".")[0] ?? "";
  const { service, title } = SERVICES[api] ?? { service: `${api}.googleapis.com`, title: `${api} API` };
  const url = `https://console.developers.google.com/apis/api/${service}/overview?project=${projectNumber}`;
  const message =
    `${title} has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting ${url} ` +
    "then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.";
  return apiError(403, "accessNotConfigured", message, {
    domain: "usageLimits",
    status: "PERMISSION_DENIED",
    errorItem: { extendedHelp: "https://console.developers.google.com" },
    omitErrors: api === "people",
    extraDetails: [
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        links: [{ description: "Google developers console API activation", url }],
      },
    ],
    errorInfo: {
      reason: "SERVICE_DISABLED",
      domain: "googleapis.com",
      metadata: { service, consumer: `projects/${projectNumber}` },
    },
  });
}
