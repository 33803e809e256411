import type { IncomingHttpHeaders } from "node:http";
import type { IssuedToken } from "./auth-state.js";
import type { FieldSchemaName } from "./field-schemas.js";
import type { GoogleTenant } from "./tenant.js";
import { apiError, notImplemented } from "./wire.js";

export interface SimRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  /** JSON-serialised unless `raw` is given. */
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  tenant: GoogleTenant;
  /** Root URL of this simulator, no trailing slash (for resource URIs). */
  baseUrl: string;
}

export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Matched against the decoded-segment path; named groups become params. */
  path: RegExp;
  /** Discovery-style name: what faults and the request log use. */
  operation: string;
  /**
   * The query parameters the real method documents: those the simulator implements, and those it
   * refuses as not implemented. Anything else is refused as unknown. Absent: the simulator's own
   * routes, which take no query.
   */
  params?: { implemented: readonly string[]; refused?: readonly string[] };
  /** The response schema `fields` is checked against and applied to. */
  response?: FieldSchemaName;
  handle(request: SimRequest, context: RouteContext): SimResponse | Promise<SimResponse>;
}

export function query(request: SimRequest, name: string): string | undefined {
  return request.url.searchParams.get(name) ?? undefined;
}

export function queryBool(request: SimRequest, name: string): boolean | undefined {
  const value = query(request, name);
  return value === undefined ? undefined : value === "true";
}

export function queryInt(
  request: SimRequest,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = query(request, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw apiError(
      400,
      "invalid",
      `Invalid value '${value}'. Values must be within the range: [${min}, ${max}]`,
    );
  }
  return n;
}

export function jsonBody<T = Record<string, unknown>>(request: SimRequest): T {
  if (request.body.length === 0) return {} as T;
  try {
    return JSON.parse(request.body.toString("utf8")) as T;
  } catch {
    throw apiError(400, "parseError", "Invalid JSON payload received.");
  }
}

/** A JSON answer; the server applies `fields` to it (the route's `response` schema). */
export function ok(_request: SimRequest, body: unknown, status = 200): SimResponse {
  return { status, body };
}

/** Parameters every Google API takes (system parameters), checked here rather than per route. */
const SYSTEM_PARAMS = new Set([
  "fields",
  "key",
  "prettyPrint",
  "quotaUser",
  "userIp",
  "oauth_token",
  "$.xgafv",
]);

/** Refuses a query parameter the route does not implement (documented: not implemented; else unknown). */
export function checkQuery(url: URL, spec: NonNullable<Route["params"]>): void {
  for (const [name, value] of url.searchParams) {
    if (SYSTEM_PARAMS.has(name) || spec.implemented.includes(name)) continue;
    if (name === "alt") {
      if (value === "json") continue;
      throw notImplemented("alt", `=${value}`);
    }
    if (spec.refused?.includes(name) || ["access_token", "callback", "upload_protocol"].includes(name)) {
      throw notImplemented(name);
    }
    throw apiError(
      400,
      "invalidParameter",
      `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`,
      { parameter: name },
    );
  }
}

export function authenticated(request: SimRequest, context: RouteContext): IssuedToken {
  const authorization = request.headers.authorization;
  return context.tenant.auth.authenticate(Array.isArray(authorization) ? authorization[0] : authorization);
}

/** Opaque tokens (page and sync) as Google's are: base64url of our own JSON. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
