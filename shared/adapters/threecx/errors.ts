/**
 * Turns what the PBX answered (or failed to answer) into a ThreeCxError: the HTTP status, the
 * WARNINGS.* code and the target property from the OData error body, and whether trying again
 * can help.
 */
import { ThreeCxError, type ThreeCxErrorCode } from "../../ports/threecx.js";

interface ODataErrorShape {
  error?: {
    code?: unknown;
    message?: unknown;
    target?: unknown;
    details?: Array<{ code?: unknown; message?: unknown; target?: unknown }>;
  };
}

export interface ParsedODataError {
  message?: string;
  warning?: string;
  target?: string;
}

const WARNING = /WARNINGS\.[A-Z0-9_.]*[A-Z0-9_]/;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Reads an OData error body; tolerant of where the PBX puts the WARNINGS code (code or message). */
export function parseODataError(body: string): ParsedODataError {
  let parsed: ODataErrorShape;
  try {
    parsed = JSON.parse(body) as ODataErrorShape;
  } catch {
    return body.trim() === "" ? {} : { message: body.slice(0, 500) };
  }
  const main = parsed.error;
  if (!main || typeof main !== "object") return {};
  const details = Array.isArray(main.details) ? main.details : [];
  const warningDetail = details.find(
    (detail) => WARNING.test(text(detail.code) ?? "") || WARNING.test(text(detail.message) ?? ""),
  );
  const warning =
    WARNING.exec(text(warningDetail?.code) ?? "")?.[0] ??
    WARNING.exec(text(warningDetail?.message) ?? "")?.[0] ??
    WARNING.exec(text(main.code) ?? "")?.[0] ??
    WARNING.exec(text(main.message) ?? "")?.[0];
  const target = text(warningDetail?.target) ?? text(details[0]?.target) ?? text(main.target);
  const message = text(warningDetail?.message) ?? text(details[0]?.message) ?? text(main.message);
  return {
    ...(message !== undefined ? { message } : {}),
    ...(warning !== undefined ? { warning } : {}),
    ...(target !== undefined ? { target } : {}),
  };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function codeForStatus(status: number): ThreeCxErrorCode {
  if (status === 401) return "THREECX_AUTH_FAILED";
  if (status === 403) return "THREECX_FORBIDDEN";
  if (status === 404) return "THREECX_NOT_FOUND";
  if (status === 429) return "THREECX_RATE_LIMITED";
  // 501: the server does not implement the request; asking again cannot help.
  if (status === 501) return "THREECX_REJECTED";
  if (status >= 500) return "THREECX_UNAVAILABLE";
  return "THREECX_REJECTED";
}

export function errorFromResponse(
  operation: string,
  status: number,
  body: string,
  retryAfterMs: number | undefined,
): ThreeCxError {
  const parsed = parseODataError(body);
  const where = parsed.target ? ` (${parsed.target})` : "";
  const why = [parsed.warning, parsed.message].filter(Boolean).join(": ") || `HTTP ${status}`;
  return new ThreeCxError(
    codeForStatus(status),
    `3CX ${operation} failed with HTTP ${status}${where}: ${why}`,
    {
      operation,
      status,
      ...(parsed.warning !== undefined ? { warning: parsed.warning } : {}),
      ...(parsed.target !== undefined ? { target: parsed.target } : {}),
    },
    retryAfterMs === undefined ? {} : { retryAfterMs },
  );
}

/** Failures to open a connection at all: the request never left this machine. */
const CONNECT_FAILURES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EADDRNOTAVAIL",
]);

/**
 * A request that got no usable answer: no connection could be made (refused, unknown host, or none
 * within the connect timeout), it timed out (HttpTimeoutError), or the connection failed or was cut.
 */
export function errorFromFailure(operation: string, cause: unknown): ThreeCxError {
  const failure = cause as { name?: unknown; code?: unknown; message?: unknown } | null;
  const code = failure?.code;
  if (failure?.name === "ConnectTimeoutError" || (typeof code === "string" && CONNECT_FAILURES.has(code))) {
    const why = typeof code === "string" ? code : String(failure?.message ?? "no connection");
    return new ThreeCxError(
      "THREECX_UNREACHABLE",
      `3CX ${operation} failed: no connection to the PBX (${why})`,
      { operation },
      { cause },
    );
  }
  if (failure?.name === "TimeoutError") {
    return new ThreeCxError("THREECX_TIMEOUT", `3CX ${operation} timed out`, { operation }, { cause });
  }
  return new ThreeCxError(
    "THREECX_NETWORK",
    `3CX ${operation} failed: no response${typeof code === "string" ? ` (${code})` : ""}`,
    { operation },
    { cause },
  );
}

/** Worth another attempt: rate limits, server errors and lost connections; never a refusal. */
export function isTransient(error: ThreeCxError): boolean {
  return (
    error.code === "THREECX_RATE_LIMITED" ||
    error.code === "THREECX_UNAVAILABLE" ||
    error.code === "THREECX_TIMEOUT" ||
    error.code === "THREECX_NETWORK" ||
    error.code === "THREECX_UNREACHABLE"
  );
}

/**
 * The write may or may not have happened: the request left but no answer came back, or the
 * server failed mid-way. 429 and 503 are answered before the work starts, and a request that
 * found no connection never left, so they are not.
 */
export function isAmbiguous(error: ThreeCxError): boolean {
  if (error.code === "THREECX_TIMEOUT" || error.code === "THREECX_NETWORK") return true;
  return error.code === "THREECX_UNAVAILABLE" && error.status !== 503;
}
