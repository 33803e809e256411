/**
 * One XAPI call: the shared token, a bounded number of requests in flight, a timeout per
 * request, retries with exponential backoff and jitter on 429 (waiting at least Retry-After),
 * 5xx, timeouts and lost connections, never on a refusal; and a count of every request sent.
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
}

export interface TransportOptions {
  /** Base URL of the PBX, e.g. https://pbx.example.com. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  maxInFlight: number;
  requestTimeoutMs: number;
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
    this.http = new HttpExchange(base.origin, options.maxInFlight + 1, options.requestTimeoutMs);
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
        if (error instanceof ThreeCxError && isAmbiguous(error)) ambiguous = true;
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
    const shouldRetry = (error: unknown): boolean => {
      if (!(error instanceof ThreeCxError) || !isTransient(error)) return false;
      if (isAmbiguous(error) && !repeatable) return false;
      return (error.retryAfterMs ?? 0) <= retry.maxRetryAfterMs;
    };
    return pRetry(
      (attempt) => {
        if (attempt > 1) this.counter.recordRetry(operation);
        return run(attempt);
      },
      {
        retries: retry.retries,
        factor: 2,
        minTimeout: retry.baseDelayMs,
        maxTimeout: retry.maxDelayMs,
        randomize: true,
        shouldRetry: ({ error }) => shouldRetry(error),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft === 0 || !shouldRetry(error)) return;
          const waitMs = (error as ThreeCxError).retryAfterMs;
          this.options.logger?.event("threecxRequestRetrying", {
            operation,
            attempt: attemptNumber,
            code: (error as ThreeCxError).code,
            status: (error as ThreeCxError).status,
            retryAfterMs: waitMs,
          });
          // The backoff delay comes on top, so the PBX's Retry-After is always honoured in full.
          if (waitMs !== undefined && waitMs > 0) await sleep(waitMs);
        },
      },
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

  /** POST /connect/token; retried like any call, never counted against the in-flight bound. */
  private requestToken(): Promise<TokenResponse> {
    const operation = "Token";
    return this.withRetries(operation, true, async () => {
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
    });
  }
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
