/**
 * The ThreeCx port over the 3CX v20 XAPI. One client per process: it holds the single access
 * token 3CX allows per API client, the bound on requests in flight, and the request counts.
 */
import { ConfigError } from "../../config/config-error.js";
import type { Settings } from "../../config/schema.js";
import type { Logger } from "../../logging/logger.js";
import type { ThreeCx } from "../../ports/threecx.js";
import type { ClientContext } from "./client-context.js";
import { contactOperations } from "./contacts.js";
import { presenceOperations } from "./presence.js";
import type { RequestCounter } from "./request-counter.js";
import { settingsOperations } from "./settings.js";
import type { SharedTokenStore } from "./shared-token-store.js";
import { type RetryPolicy, XapiTransport } from "./transport.js";
import { userOperations } from "./users.js";

export interface ThreeCxClientOptions {
  /** Base URL of the PBX, e.g. https://pbx.example.com (XAPI under /xapi/v1). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Requests in flight at once (default 8). */
  maxInFlight?: number;
  /** Per request, including reading the answer (default 15 s). */
  requestTimeoutMs?: number;
  /** Opening a connection to the PBX (default 2 s); past it the attempt fails as unreachable. */
  connectTimeoutMs?: number;
  /** Page size for collections; halved automatically if the PBX refuses it (default 1000). */
  pageSize?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  now?: () => number;
  /** Share the one token 3CX allows per API client with other processes (function instances). */
  sharedToken?: SharedTokenStore;
}

export interface ThreeCxClient extends ThreeCx {
  /** Every HTTP request sent, by XAPI operation. */
  readonly requests: RequestCounter;
  /** Closes the connections to the PBX; idle ones never keep the process alive, so this is for a clean stop. */
  close(): Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  windowMs: 8_000,
};

export function createThreeCxClient(options: ThreeCxClientOptions): ThreeCxClient {
  const transport = new XapiTransport({
    baseUrl: options.baseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    maxInFlight: options.maxInFlight ?? 8,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sharedToken ? { sharedToken: options.sharedToken } : {}),
  });
  const ctx: ClientContext = {
    transport,
    pages: { pageSize: options.pageSize ?? 1000 },
    ...(options.logger ? { logger: options.logger } : {}),
  };
  return {
    requests: transport.counter,
    close: () => transport.close(),
    ...userOperations(ctx),
    ...presenceOperations(ctx),
    ...contactOperations(ctx),
    ...settingsOperations(ctx),
  };
}

/** Client options from validated settings; the secret is resolved by the caller. */
export function clientOptionsFromSettings(
  threecx: Settings["threecx"],
  clientSecret: string,
  logger?: Logger,
): ThreeCxClientOptions {
  const missing = (["url", "clientId"] as const).filter((key) => threecx[key] === undefined);
  if (threecx.url === undefined || threecx.clientId === undefined) {
    throw new ConfigError(
      "CONFIG_INVALID",
      missing.map((key) => ({
        setting: `threecx.${key}`,
        source: "settings",
        value: "(unset)",
        allowed: "required to talk to a 3CX phone system",
      })),
    );
  }
  return {
    baseUrl: threecx.url,
    clientId: threecx.clientId,
    clientSecret,
    maxInFlight: threecx.maxInFlight,
    requestTimeoutMs: threecx.requestTimeoutMs,
    connectTimeoutMs: threecx.connectTimeoutMs,
    pageSize: threecx.pageSize,
    retry: { retries: threecx.maxRetries, windowMs: threecx.retryWindowMs },
    ...(logger ? { logger } : {}),
  };
}
