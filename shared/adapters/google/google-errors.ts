import { WorkspaceError, type WorkspaceFailure } from "../../ports/directory.js";

/** What went wrong in one Google call, read off the wire error shape. */
export interface GoogleFailure {
  failure: WorkspaceFailure;
  /** HTTP status, when a response came back. */
  status?: number;
  /** errors[0].reason (classic APIs) or ErrorInfo.reason (People), or the OAuth `error` code. */
  reason?: string;
  /** google.rpc.ErrorInfo reason, when the body has one (People: EXPIRED_SYNC_TOKEN). */
  errorInfoReason?: string;
  message: string;
  /** Worth another attempt: 429, 403 with a rate reason, 5xx, network errors. */
  transient: boolean;
}

/** Reasons under which a 403 means "slow down", not "forbidden". */
const RATE_REASONS = new Set([
  "rateLimitExceeded",
  "userRateLimitExceeded",
  "quotaExceeded",
  "dailyLimitExceeded",
  "RATE_LIMIT_EXCEEDED",
]);

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

interface WireError {
  code?: number;
  message?: string;
  status?: string;
  errors?: Array<{ reason?: string; message?: string }>;
  details?: Array<{ "@type"?: string; reason?: string }>;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Reads status, reason and message from a gaxios error (or anything shaped like one). */
export function classifyGoogleError(error: unknown): GoogleFailure {
  if (error instanceof WorkspaceError) {
    return {
      failure: error.failure,
      status: error.status,
      reason: error.reason,
      message: error.message,
      transient: error.failure === "RATE_LIMITED" || error.failure === "UNAVAILABLE",
    };
  }
  const record = asRecord(error);
  const response = asRecord(record?.response);
  const status = typeof response?.status === "number" ? response.status : undefined;
  const data = asRecord(response?.data);
  const wire = asRecord(data?.error) as WireError | undefined;
  const errorInfoReason = wire?.details?.find((d) => d["@type"]?.endsWith("google.rpc.ErrorInfo"))?.reason;
  const reason = wire?.errors?.find((e) => e.reason)?.reason ?? errorInfoReason ?? wire?.status;
  const message =
    wire?.message ?? (error instanceof Error ? error.message : String(error)) ?? "unknown Google error";

  if (status === undefined) {
    const code = typeof record?.code === "string" ? record.code : undefined;
    const causeCode = asRecord(asRecord(record?.cause)?.cause)?.code ?? asRecord(record?.cause)?.code;
    const network =
      (code !== undefined && NETWORK_CODES.has(code)) ||
      (typeof causeCode === "string" && NETWORK_CODES.has(causeCode)) ||
      (error instanceof Error && /fetch failed|socket hang up|network/i.test(error.message));
    return { failure: network ? "UNAVAILABLE" : "FAILED", reason: code, message, transient: network };
  }
  if (status === 429)
    return { failure: "RATE_LIMITED", status, reason, errorInfoReason, message, transient: true };
  if (status === 403 && reason !== undefined && RATE_REASONS.has(reason)) {
    return { failure: "RATE_LIMITED", status, reason, errorInfoReason, message, transient: true };
  }
  if (status >= 500)
    return { failure: "UNAVAILABLE", status, reason, errorInfoReason, message, transient: true };
  if (status === 401 || status === 403)
    return { failure: "NOT_AUTHORIZED", status, reason, errorInfoReason, message, transient: false };
  if (status === 404)
    return { failure: "NOT_FOUND", status, reason, errorInfoReason, message, transient: false };
  if (status >= 400)
    return { failure: "INVALID_REQUEST", status, reason, errorInfoReason, message, transient: false };
  return { failure: "FAILED", status, reason, errorInfoReason, message, transient: false };
}

/**
 * Gaxios errors keep the request configuration, bearer token included. The adapters keep the error
 * as a cause (nothing hidden) but drop the credential from it first.
 */
export function scrubCredentials(error: unknown): unknown {
  const record = asRecord(error);
  for (const config of [record?.config, asRecord(record?.response)?.config])
    scrubHeaders(asRecord(config)?.headers);
  return error;
}

function scrubHeaders(headers: unknown): void {
  if (headers instanceof Headers) headers.delete("authorization");
  else if (asRecord(headers)) {
    for (const key of Object.keys(headers as object)) {
      if (key.toLowerCase() === "authorization") delete (headers as Record<string, unknown>)[key];
    }
  }
}
