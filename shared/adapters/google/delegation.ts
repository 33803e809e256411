import { iamcredentials_v1 } from "@googleapis/iamcredentials";
import type { Logger } from "../../logging/logger.js";
import { DelegationError } from "./delegation-error.js";
import { clientOptions, type GoogleEndpoints } from "./endpoints.js";
import { classifyGoogleError, scrubCredentials } from "./google-errors.js";
import type { SourceCredential } from "./source-credential.js";

/** Hands out access tokens that act as a Workspace user. The adapters depend on this, not on how. */
export interface AccessTokenProvider {
  accessToken(subject: string, scopes: readonly string[]): Promise<string>;
  /** Forgets a cached token, e.g. after Google answered 401 to it. */
  invalidate(subject: string, scopes: readonly string[]): void;
}

export interface DelegationClaims {
  iss: string;
  sub: string;
  scope: string;
  aud: string;
  iat: number;
  exp: number;
}

export interface KeylessDelegationOptions {
  /** The delegating service account: the runtime's own account in the cloud. */
  serviceAccountEmail: string;
  /** Authorizes the signJwt call (see source-credential.ts). */
  sourceCredential: SourceCredential;
  endpoints: Pick<GoogleEndpoints, "oauthTokenUrl" | "iamCredentialsRootUrl">;
  /** Milliseconds since the epoch; injectable so expiry is testable. */
  now?: () => number;
  /** A cached token is replaced this long before it expires (default 5 minutes). */
  refreshMarginSeconds?: number;
  /** exp - iat of the assertion; Google accepts at most one hour. */
  assertionLifetimeSeconds?: number;
  /** Each request (signJwt, token exchange); retries are the calling adapter's (delegated-call.ts). */
  timeoutMs?: number;
  logger?: Logger;
}

interface CachedToken {
  accessToken: string;
  expiresAtMs: number;
}

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** Claims for a domain-wide delegation assertion: the service account acting as `subject`. */
export function delegationClaims(input: {
  serviceAccountEmail: string;
  subject: string;
  scopes: readonly string[];
  audience: string;
  nowMs: number;
  lifetimeSeconds: number;
}): DelegationClaims {
  const iat = Math.floor(input.nowMs / 1000);
  return {
    iss: input.serviceAccountEmail,
    sub: input.subject,
    scope: input.scopes.join(" "),
    aud: input.audience,
    iat,
    exp: iat + input.lifetimeSeconds,
  };
}

function cacheKey(subject: string, scopes: readonly string[]): string {
  return `${subject.toLowerCase()}\n${[...new Set(scopes)].sort().join(" ")}`;
}

/**
 * Keyless domain-wide delegation: the claims are signed by IAM Credentials signJwt with a key Google
 * manages for the service account, then exchanged at the OAuth token endpoint with the jwt-bearer
 * grant. Tokens are cached per (subject, scopes) and concurrent requests for the same pair share
 * one exchange.
 */
export class KeylessDelegation implements AccessTokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private readonly iam: iamcredentials_v1.Iamcredentials;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly lifetimeSeconds: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: KeylessDelegationOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.iam = new iamcredentials_v1.Iamcredentials(
      clientOptions(options.endpoints.iamCredentialsRootUrl, this.timeoutMs),
    );
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = (options.refreshMarginSeconds ?? 300) * 1000;
    this.lifetimeSeconds = Math.min(options.assertionLifetimeSeconds ?? 3600, 3600);
  }

  async accessToken(subject: string, scopes: readonly string[]): Promise<string> {
    const key = cacheKey(subject, scopes);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAtMs - this.refreshMarginMs > this.now()) return cached.accessToken;
    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = this.fetchToken(subject, scopes).finally(() => this.pending.delete(key));
      this.pending.set(key, inFlight);
    }
    const fresh = await inFlight;
    this.cache.set(key, fresh);
    return fresh.accessToken;
  }

  invalidate(subject: string, scopes: readonly string[]): void {
    this.cache.delete(cacheKey(subject, scopes));
  }

  private async fetchToken(subject: string, scopes: readonly string[]): Promise<CachedToken> {
    const claims = delegationClaims({
      serviceAccountEmail: this.options.serviceAccountEmail,
      subject,
      scopes,
      audience: this.options.endpoints.oauthTokenUrl,
      nowMs: this.now(),
      lifetimeSeconds: this.lifetimeSeconds,
    });
    // Not retried here: a transient failure fails the attempt of the API call that needed the
    // token, whose one budget covers the token too (delegated-call.ts).
    const assertion = await this.signJwt(claims);
    const issuedAtMs = this.now();
    const token = await this.exchange(assertion);
    this.options.logger?.event("googleDelegatedTokenIssued", {
      subject,
      scopes: claims.scope,
      expiresIn: token.expiresIn,
    });
    return { accessToken: token.accessToken, expiresAtMs: issuedAtMs + token.expiresIn * 1000 };
  }

  private async signJwt(claims: DelegationClaims): Promise<string> {
    const sourceToken = await this.options.sourceCredential.accessToken();
    try {
      const response = await this.iam.projects.serviceAccounts.signJwt(
        {
          name: `projects/-/serviceAccounts/${this.options.serviceAccountEmail}`,
          requestBody: { payload: JSON.stringify(claims) },
        },
        { headers: { Authorization: `Bearer ${sourceToken}` } },
      );
      const signed = response.data.signedJwt;
      if (!signed) throw new DelegationError("SIGN_JWT", "FAILED", "signJwt answered without a signedJwt");
      return signed;
    } catch (error) {
      if (error instanceof DelegationError) throw error;
      const failure = classifyGoogleError(error);
      throw new DelegationError(
        "SIGN_JWT",
        failure.failure,
        `signJwt on ${this.options.serviceAccountEmail} failed: ${failure.message}`,
        { cause: scrubCredentials(error), reason: failure.reason, status: failure.status },
      );
    }
  }

  private async exchange(assertion: string): Promise<{ accessToken: string; expiresIn: number }> {
    let response: Response;
    try {
      response = await fetch(this.options.endpoints.oauthTokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new DelegationError("TOKEN_EXCHANGE", "UNAVAILABLE", "the OAuth token endpoint did not answer", {
        cause,
      });
    }
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      /** A string from the OAuth endpoint itself; an object when a front end answered instead. */
      error?: unknown;
      error_description?: string;
    };
    if (response.ok && body.access_token) {
      return { accessToken: body.access_token, expiresIn: body.expires_in ?? 3600 };
    }
    const status = response.status;
    const reason = typeof body.error === "string" ? body.error : undefined;
    const failure =
      status === 429
        ? "RATE_LIMITED"
        : status >= 500
          ? "UNAVAILABLE"
          : status === 200
            ? "FAILED"
            : "NOT_AUTHORIZED";
    throw new DelegationError(
      "TOKEN_EXCHANGE",
      failure,
      `token exchange refused (${reason ?? status}): ${body.error_description ?? "no description"}`,
      { reason, status },
    );
  }
}
