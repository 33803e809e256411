/**
 * Google's wire shapes for errors, shared by every route of the simulator. A handler throws
 * GoogleWireError; the server writes it exactly as Google would.
 */
export interface WireErrorItem {
  reason: string;
  domain: string;
  message: string;
  location?: string;
  locationType?: string;
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  410: "GONE",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export class GoogleWireError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: unknown,
    /** Extra response headers (Retry-After on a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(`simulated Google error ${httpStatus}`);
  }
}

/** The classic API error ({error:{code,message,errors:[{reason,domain,message}],status}}). */
export function apiError(
  httpStatus: number,
  reason: string,
  message: string,
  options: {
    domain?: string;
    status?: string;
    errorInfo?: { reason: string; domain: string; metadata?: Record<string, string> };
    /** More google.rpc details before the ErrorInfo (e.g. a google.rpc.Help with links). */
    extraDetails?: Record<string, unknown>[];
    /** Extra members of errors[0] (e.g. extendedHelp). */
    errorItem?: Record<string, string>;
    omitErrors?: boolean;
    /** The parameter the error is about (errors[].location, locationType "parameter"). */
    parameter?: string;
    headers?: Record<string, string>;
  } = {},
): GoogleWireError {
  const error: Record<string, unknown> = { code: httpStatus, message };
  if (!options.omitErrors) {
    error.errors = [
      {
        message,
        domain: options.domain ?? "global",
        reason,
        ...options.errorItem,
        ...(options.parameter ? { location: options.parameter, locationType: "parameter" } : {}),
      },
    ];
  }
  const status = options.status ?? STATUS_NAMES[httpStatus];
  if (status) error.status = status;
  if (options.errorInfo || options.extraDetails) {
    error.details = [
      ...(options.extraDetails ?? []),
      ...(options.errorInfo
        ? [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", ...options.errorInfo }]
        : []),
    ];
  }
  return new GoogleWireError(httpStatus, { error }, options.headers);
}

/**
 * A documented parameter (or value) the simulator does not implement: refused, never ignored, so no
 * test passes because a parameter had no effect.
 */
export function notImplemented(parameter: string, detail = ""): GoogleWireError {
  return apiError(
    400,
    "invalidParameter",
    `${parameter}${detail ? ` ${detail}` : ""} is not implemented by the simulator`,
    { parameter },
  );
}

/** The OAuth token endpoint's own shape ({error, error_description}). */
export function oauthError(
  httpStatus: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): GoogleWireError {
  return new GoogleWireError(httpStatus, { error, error_description: description }, headers);
}

export const notFound = (what: string) => apiError(404, "notFound", `${what} not found`);
export const badRequest = (message: string, reason = "invalid") => apiError(400, reason, message);
