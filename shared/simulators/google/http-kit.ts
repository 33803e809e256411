import type { IncomingHttpHeaders } from "node:http";
import type { IssuedToken } from "./auth-state.js";
import { applyFields, parseFields } from "./fields.js";
import type { GoogleTenant } from "./tenant.js";
import { apiError } from "./wire.js";

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

/** Applies `fields` like Google (a response with only the selected fields). */
export function ok(request: SimRequest, body: unknown, status = 200): SimResponse {
  const fields = query(request, "fields");
  if (!fields) return { status, body };
  try {
    return { status, body: applyFields(body, parseFields(fields)) };
  } catch (error) {
    throw apiError(400, "invalidParameter", `Invalid field selection ${fields}: ${(error as Error).message}`);
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
