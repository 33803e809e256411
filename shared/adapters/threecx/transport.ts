/**
 * One XAPI call: the shared token, a bounded number of requests in flight, a timeout per
 * request, retries with exponential backoff and jitter on 429 (waiting at least Retry-After),
 * 5xx, timeouts and lost connections, never on a refusal; and a count of every request sent.
 *
 * Each call has one retry budget: `retries` further attempts within `windowMs` of the first. A
 * token fetch is one request of the attempt that needed it, never a retry loop of its own, so an
 * unreachable PBX costs one budget, not one per token attempt per call attempt. When the budget
 * is spent the error names the PBX, the attempts and the time they took, and keeps the last cause.
 *
 * A write that is not idempotent (a create) is repeated after an ambiguous failure only when
 * the caller can first look up whether it was applied (`recover`); otherwise the failure is
 * reported, because a blind repeat could create the thing twice.
 *
 * HTTP goes over keep-alive connections to the PBX (http-exchange.ts), one per request in flight.
 */
import pLimit, { type LimitFunction } from "p-limit";
import pRetry from "p-retry";
import type { Logger } from "../../logging/logger.js";
import { ThreeCxError } from "../../ports/threecx.js";
import { errorFromFailure, errorFromResponse, isAmbiguous, isTransient, parseRetryAfter } from "./errors.js";
import { type HttpAnswer, HttpExchange, type HttpRequest } from "./http-exchange.js";
import {
  buildPath,
  buildQuery,
  type ODataQueryOptions,
  type PathParams,
  XAPI_OPERATIONS,
  type XapiOperationId,
} from "./operations.js";
import { RequestCounter } from "./request-counter.js";
import type { SharedTokenStore } from "./shared-token-store.js";
import { TokenManager, type TokenResponse } from "./token-manager.js";

export interface RetryPolicy {
  /** Attempts after the first (default 4). */
  retries: number;
  /** First backoff delay; doubles each retry, with jitter (default 250 ms). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the call fails as rate limited. */
  maxRetryAfterMs: number;
  /**
   * No attempt starts later than this after the call's first (Retry-After waits included): past
   * it the call fails with the last error. An attempt under way is bounded by the timeouts.
   */
  windowMs: number;
}

export interface TransportOptions {
  /** Base URL of the PBX, e.g. https://pbx.example.com. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  maxInFlight: number;
  requestTimeoutMs: number;
  /** Opening a connection to the PBX; past it the attempt fails as unreachable. */
  connectTimeoutMs: number;
  retry: RetryPolicy;
  logger?: Logger;
  now?: () => number;
  sharedToken?: SharedTokenStore;
}

export interface XapiRequest {
  operation: XapiOperationId;
  params?: PathParams;
  query?: ODataQueryOptions;
  body?: unknown;
}

export interface CallOptions<T> {
  /** Safe to repeat after an ambiguous failure (default: every method but POST). */
  idempotent?: boolean;
  /** After an ambiguous failure of a non-idempotent write: what the PBX holds if it was applied. */
  recover?: () => Promise<T | undefined>;
}

interface RawResponse {
  status: number;
  body: unknown;
}

function header(answer: HttpAnswer, name: string): string | null {
  const value = answer.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class XapiTransport {
  readonly counter = new RequestCounter();
  private readonly limit: LimitFunction;
  private readonly tokens: TokenManager;
  private readonly http: HttpExchange;
  /** Path of the PBX under its origin ("" for https://pbx.example.com). */
  private readonly basePath: string;
  private readonly now: () => number;

  constructor(private readonly options: TransportOptions) {
    const base = new URL(options.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, "");
    // The token request is not counted against maxInFlight, so it gets a connection of its own.
    this.http = new HttpExchange(
      base.origin,
      options.maxInFlight + 1,
      options.requestTimeoutMs,
      options.connectTimeoutMs,
    );
    this.limit = pLimit(options.maxInFlight);
    this.now = options.now ?? Date.now;
    this.tokens = new TokenManager({
      requestToken: () => this.requestToken(),
      now: this.now,
      ...(options.sharedToken ? { shared: options.sharedToken } : {}),
    });
  }

  /** Closes the kept-alive connections to the PBX. */
  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }

  /** Sends the request (with retries) and decodes a success body. */
  async call<T>(
    request: XapiRequest,
    decode: (body: unknown) => T,
    options: CallOptions<T> = {},
  ): Promise<T> {
    const { operation } = request;
    const idempotent = options.idempotent ?? XAPI_OPERATIONS[operation].method !== "POST";
    let ambiguous = false;
    return this.withRetries(operation, idempotent || options.recover !== undefined, async (attempt) => {
      if (attempt > 1 && ambiguous && options.recover) {
        const applied = await options.recover();
        if (applied !== undefined) {
          this.options.logger?.event("threecxWriteRecovered", { operation });
          return applied;
        }
      }
      try {
        const response = await this.limit(() => this.send(request));
        return decodeOrThrow(operation, decode, response.body);
      } catch (error) {
        if (error instanceof ThreeCxError && ambiguousFor(operation, error)) ambiguous = true;
        throw error;
      }
    });
  }

  private async withRetries<T>(
    operation: string,
    repeatable: boolean,
    run: (attempt: number) => Promise<T>,
  ): Promise<T> {
    const { retry } = this.options;
    const startedAt = performance.now();
    const elapsed = () => performance.now() - startedAt;
    const shouldRetry = (error: unknown): boolean => {
      if (!(error instanceof ThreeCxError) || !isTransient(error)) return false;
      if (ambiguousFor(operation, error) && !repeatable) return false;
      const waitMs = error.retryAfterMs ?? 0;
      return waitMs <= retry.maxRetryAfterMs && elapsed() + waitMs < retry.windowMs;
    };
    let attempts = 0;
    try {
      return await pRetry(
        (attempt) => {
          attempts = attempt;
          if (attempt > 1) this.counter.recordRetry(operation);
          return run(attempt);
        },
        {
          retries: retry.retries,
          factor: 2,
          minTimeout: retry.baseDelayMs,
          maxTimeout: retry.maxDelayMs,
          // p-retry shortens the last backoff to end at the window and starts no attempt past it.
          maxRetryTime: retry.windowMs,
          randomize: true,
          shouldRetry: ({ error }) => shouldRetry(error),
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft === 0 || !shouldRetry(error)) return;
            const waitMs = (error as ThreeCxError).retryAfterMs;
            this.options.logger?.event("threecxRequestRetrying", {
              operation,
              attempt: attemptNumber,
              maxAttempts: retry.retries + 1,
              code: (error as ThreeCxError).code,
              status: (error as ThreeCxError).status,
              reason: (error as ThreeCxError).message,
              retryAfterMs: waitMs,
            });
            // The backoff delay comes on top, so the PBX's Retry-After is always honoured in full.
            if (waitMs !== undefined && waitMs > 0) await sleep(waitMs);
          },
        },
      );
    } catch (error) {
      throw this.gaveUp(operation, error, attempts, elapsed());
    }
  }

  /**
   * The last error of a call whose transient failures used up its budget, saying where and what
   * was tried; any other error (a refusal, a bad answer) is passed on as it is.
   */
  private gaveUp(operation: string, error: unknown, attempts: number, elapsedMs: number): unknown {
    if (!(error instanceof ThreeCxError) || !isTransient(error)) return error;
    const tried = `${attempts} attempt${attempts === 1 ? "" : "s"} in ${(elapsedMs / 1000).toFixed(1)} s`;
    // A token fetch that failed names itself; say which call needed it.
    const call = error.operation === operation ? "" : `${operation}: `;
    return new ThreeCxError(
      error.code,
      `${call}${error.message} (PBX ${this.options.baseUrl}; gave up after ${tried})`,
      {
        operation: error.operation,
        status: error.status,
        warning: error.warning,
        target: error.target,
        url: this.options.baseUrl,
        attempts,
      },
      { cause: error, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) },
    );
  }

  /** One request, renewing the token once if the PBX refuses it. */
  private async send(request: XapiRequest): Promise<RawResponse> {
    const token = await this.tokens.token();
    const first = await this.requestOnce(request, token);
    if (first.status !== 401) return this.settle(request.operation, first);
    this.options.logger?.event("threecxTokenRejected", { operation: request.operation });
    this.tokens.invalidate(token);
    const second = await this.requestOnce(request, await this.tokens.token());
    if (second.status === 401) {
      throw new ThreeCxError(
        "THREECX_AUTH_FAILED",
        `3CX refused a freshly issued token for ${request.operation}`,
        {
          operation: request.operation,
          status: 401,
        },
      );
    }
    return this.settle(request.operation, second);
  }

  private requestOnce(request: XapiRequest, token: string): Promise<HttpAnswer> {
    const { method } = XAPI_OPERATIONS[request.operation];
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    this.counter.recordRequest(request.operation);
    return this.exchange(request.operation, {
      method,
      path: `/xapi/v1${buildPath(request.operation, request.params)}${buildQuery(request.query)}`,
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
  }

  /** One HTTP request, its answer read to the end; requestTimeoutMs bounds any wait for a byte. */
  private async exchange(operation: string, request: HttpRequest): Promise<HttpAnswer> {
    try {
      return await this.http.exchange({ ...request, path: `${this.basePath}${request.path}` });
    } catch (error) {
      throw errorFromFailure(operation, error);
    }
  }

  private settle(operation: string, answer: HttpAnswer): RawResponse {
    const { status, text } = answer;
    if (status < 200 || status > 299) {
      throw errorFromResponse(
        operation,
        status,
        text,
        parseRetryAfter(header(answer, "retry-after"), this.now()),
      );
    }
    if (text === "") return { status, body: undefined };
    try {
      return { status, body: JSON.parse(text) as unknown };
    } catch (error) {
      throw new ThreeCxError(
        "THREECX_PROTOCOL",
        `3CX ${operation} answered HTTP ${status} with a body that is not JSON`,
        { operation, status },
        { cause: error },
      );
    }
  }

  /**
   * POST /connect/token, once: a failure fails the attempt of every call waiting for the token,
   * and each call's own budget decides whether to try again. Never counted against the in-flight bound.
   */
  private async requestToken(): Promise<TokenResponse> {
    const operation = "Token";
    const form = new URLSearchParams({
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      grant_type: "client_credentials",
    });
    this.counter.recordRequest(operation);
    const answer = await this.exchange(operation, {
      method: "POST",
      path: "/connect/token",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
    });
    if (answer.status === 400 || answer.status === 401) {
      const reason = oauthErrorOf(answer.text);
      throw new ThreeCxError(
        "THREECX_AUTH_FAILED",
        `3CX refused the API client credentials (${reason ?? `HTTP ${answer.status}`})`,
        { operation, status: answer.status },
      );
    }
    const { body } = this.settle(operation, answer);
    this.options.logger?.event("threecxTokenAcquired", {});
    return body as TokenResponse;
  }
}

/**
 * Whether `error` leaves the call's own write in doubt. A failed token fetch never does: the call's
 * request had not been sent yet.
 */
function ambiguousFor(operation: string, error: ThreeCxError): boolean {
  return error.operation === operation && isAmbiguous(error);
}

/** The OAuth error code of a token refusal ("invalid_client"), if the body has one. */
function oauthErrorOf(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === "string" ? error : undefined;
  } catch {
    return undefined;
  }
}

function decodeOrThrow<T>(operation: string, decode: (body: unknown) => T, body: unknown): T {
  try {
    return decode(body);
  } catch (error) {
    throw new ThreeCxError(
      "THREECX_PROTOCOL",
      `3CX ${operation} answered with a body the client cannot read`,
      { operation },
      { cause: error },
    );
  }
}
