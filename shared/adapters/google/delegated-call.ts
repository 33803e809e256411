import type { Logger } from "../../logging/logger.js";
import type { AccessTokenProvider } from "./delegation.js";
import { classifyGoogleError, type GoogleFailure, scrubCredentials } from "./google-errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from "./retry-policy.js";

/** What every Workspace adapter is built from. */
export interface WorkspaceAdapterOptions {
  tokens: AccessTokenProvider;
  /** undefined = each API's own Google host; set = one root for all (the simulator). */
  apiRootUrl?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  logger?: Logger;
}

/** Per-request options handed to a generated client method. */
export interface RequestAuth {
  headers: { Authorization: string };
}

export interface CallSpec {
  api: string;
  operation: string;
  subject: string;
  scopes: readonly string[];
}

/**
 * One Google call as a delegated user: a token from the provider, backoff on transient failures,
 * and one fresh token if Google answers 401 to a cached one. Errors come out classified and with
 * the credential scrubbed; the adapter turns them into its port's error.
 *
 * The call has one retry budget: getting the token (signJwt, then the token exchange) is part of
 * the attempt that needed it, and a transient failure there costs one attempt like any other, so a
 * failing Google gives up within the policy's window plus the attempt under way.
 */
export async function callAsUser<T>(
  options: WorkspaceAdapterOptions,
  spec: CallSpec,
  run: (auth: RequestAuth) => Promise<T>,
): Promise<T> {
  let refreshed = false;
  return withRetry(
    async () => {
      for (;;) {
        const token = await options.tokens.accessToken(spec.subject, spec.scopes);
        try {
          return await run({ headers: { Authorization: `Bearer ${token}` } });
        } catch (error) {
          scrubCredentials(error);
          if (!refreshed && classifyGoogleError(error).status === 401) {
            refreshed = true;
            options.tokens.invalidate(spec.subject, spec.scopes);
            continue;
          }
          throw error;
        }
      }
    },
    options.retry ?? DEFAULT_RETRY_POLICY,
    ({ attemptNumber, maxAttempts, failure, retriesLeft }) =>
      options.logger?.event("googleCallRetried", {
        api: spec.api,
        operation: spec.operation,
        attempt: attemptNumber,
        maxAttempts,
        retriesLeft,
        status: failure.status,
        reason: failure.reason ?? failure.message,
      }),
  );
}

/** Builds a port error from whatever a call threw, keeping Google's reason and the cause. */
export function toPortError<E extends Error>(
  error: unknown,
  make: (failure: GoogleFailure, options: { cause: unknown; reason?: string; status?: number }) => E,
): E {
  const failure = classifyGoogleError(error);
  return make(failure, { cause: error, reason: failure.reason, status: failure.status });
}
