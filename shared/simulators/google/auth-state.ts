import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign, verify } from "node:crypto";
import type { DirectoryState } from "./directory-state.js";
import { randomToken } from "./ids.js";
import type { ParsedSeed } from "./seed.js";
import { apiError, oauthError } from "./wire.js";

export interface SimServiceAccount {
  email: string;
  uniqueId: string;
  sourceToken: string;
  /** Google-managed signing key of the account (created on first use: RSA keygen is not free). */
  key?: { id: string; privateKey: KeyObject; publicKey: KeyObject };
}

export interface IssuedToken {
  /** The Workspace user the token acts as; undefined for the service account itself. */
  subject?: string;
  serviceAccount: string;
  scopes: Set<string>;
  expiresAtMs: number;
}

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const MAX_ASSERTION_SECONDS = 3600;
const SIGN_JWT_MAX_FUTURE_SECONDS = 12 * 3600;
const CLOCK_SKEW_SECONDS = 300;

/**
 * Keyless delegation as Google does it: signJwt signs claims with the account's managed key; the
 * token endpoint checks that signature, the audience, the lifetime, the subject, and that every
 * requested scope is granted to the account's client id by a domain-wide delegation entry.
 */
export class AuthState {
  readonly serviceAccounts = new Map<string, SimServiceAccount>();
  /** client id -> granted scopes. */
  readonly delegation = new Map<string, Set<string>>();
  private readonly issued = new Map<string, IssuedToken>();
  /** Seconds an access token lives (Google: 3599). */
  tokenLifetimeSeconds = 3599;
  /** Counters for tests: how many assertions were signed and exchanged. */
  readonly counts = { signJwt: 0, tokenExchange: 0 };

  constructor(
    private readonly now: () => number,
    private readonly directory: DirectoryState,
    private readonly tokenUrl: () => string,
  ) {}

  load(seed: ParsedSeed): void {
    for (const account of seed.serviceAccounts) {
      const loaded = { ...account };
      this.serviceAccounts.set(account.email, loaded);
      // Google holds each account's managed key before anyone asks; making it here keeps RSA key
      // generation (hundreds of ms) out of the first signJwt a test or benchmark times.
      this.keyOf(loaded);
    }
    for (const grant of seed.domainWideDelegation) this.grant(grant.clientId, grant.scopes);
  }

  grant(clientId: string, scopes: readonly string[]): void {
    const granted = this.delegation.get(clientId) ?? new Set<string>();
    for (const scope of scopes) granted.add(scope);
    this.delegation.set(clientId, granted);
  }

  revoke(clientId: string, scopes?: readonly string[]): void {
    if (!scopes) this.delegation.delete(clientId);
    else for (const scope of scopes) this.delegation.get(clientId)?.delete(scope);
  }

  /** POST /v1/projects/-/serviceAccounts/{email}:signJwt, authorized by the caller's source token. */
  signJwt(
    bearer: string | undefined,
    target: string,
    payload: unknown,
  ): { keyId: string; signedJwt: string } {
    const caller = [...this.serviceAccounts.values()].find((a) => a.sourceToken === bearer);
    if (!caller) {
      throw apiError(401, "authError", "Request had invalid authentication credentials.", {
        domain: "global",
      });
    }
    const account = this.serviceAccounts.get(target);
    // Google answers 403 for an account that does not exist too, so existence does not leak.
    if (!account || caller.email !== account.email) {
      throw apiError(
        403,
        "forbidden",
        `Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).`,
        { errorInfo: { reason: "IAM_PERMISSION_DENIED", domain: "iam.googleapis.com" } },
      );
    }
    if (typeof payload !== "string") throw apiError(400, "badRequest", "payload is required");
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(payload) as Record<string, unknown>;
    } catch {
      throw apiError(400, "badRequest", "payload must be a JSON object");
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    if (
      typeof claims.exp === "number" &&
      (claims.exp < nowSeconds || claims.exp > nowSeconds + SIGN_JWT_MAX_FUTURE_SECONDS)
    ) {
      throw apiError(
        400,
        "badRequest",
        "exp must be an integer timestamp not in the past and at most 12 hours ahead",
      );
    }
    const key = this.keyOf(account);
    const header = base64url(JSON.stringify({ alg: "RS256", kid: key.id, typ: "JWT" }));
    const body = base64url(payload);
    const signature = sign("sha256", Buffer.from(`${header}.${body}`), key.privateKey).toString("base64url");
    this.counts.signJwt++;
    return { keyId: key.id, signedJwt: `${header}.${body}.${signature}` };
  }

  /**
   * GET /v1/projects/{project}/serviceAccounts/{email} (IAM): the account as IAM describes it, to
   * a caller holding a known account's source token. Google answers 403 for an account that does
   * not exist, as for one the caller may not see.
   */
  describeServiceAccount(bearer: string | undefined, email: string): Record<string, string> {
    const caller = [...this.serviceAccounts.values()].find((a) => a.sourceToken === bearer);
    if (!caller) {
      throw apiError(401, "authError", "Request had invalid authentication credentials.", {
        domain: "global",
      });
    }
    const account = this.serviceAccounts.get(email);
    if (!account) {
      throw apiError(
        403,
        "forbidden",
        `Permission 'iam.serviceAccounts.get' denied on resource (or it may not exist).`,
        { errorInfo: { reason: "IAM_PERMISSION_DENIED", domain: "iam.googleapis.com" } },
      );
    }
    const projectId = /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1] ?? "simulated-project";
    return {
      name: `projects/${projectId}/serviceAccounts/${email}`,
      projectId,
      uniqueId: account.uniqueId,
      email,
      etag: "MDEwMjE5MjA=",
      oauth2ClientId: account.uniqueId,
    };
  }

  /** POST /token with the jwt-bearer grant. */
  exchange(form: URLSearchParams): { access_token: string; expires_in: number; token_type: "Bearer" } {
    if (form.get("grant_type") !== JWT_BEARER) {
      throw oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${form.get("grant_type") ?? ""}`);
    }
    const assertion = form.get("assertion") ?? "";
    const [headerPart, payloadPart, signaturePart] = assertion.split(".");
    if (!headerPart || !payloadPart || !signaturePart)
      throw oauthError(400, "invalid_request", "Invalid JWT.");
    let header: { kid?: string; alg?: string };
    let claims: { iss?: string; sub?: string; scope?: string; aud?: string; iat?: number; exp?: number };
    try {
      header = JSON.parse(Buffer.from(headerPart, "base64url").toString());
      claims = JSON.parse(Buffer.from(payloadPart, "base64url").toString());
    } catch {
      throw oauthError(400, "invalid_request", "Invalid JWT.");
    }
    const account = claims.iss ? this.serviceAccounts.get(claims.iss) : undefined;
    if (!account?.key || header.alg !== "RS256" || header.kid !== account.key.id) {
      throw oauthError(400, "invalid_grant", "Invalid JWT Signature.");
    }
    const valid = verify(
      "sha256",
      Buffer.from(`${headerPart}.${payloadPart}`),
      account.key.publicKey,
      Buffer.from(signaturePart, "base64url"),
    );
    if (!valid) throw oauthError(400, "invalid_grant", "Invalid JWT Signature.");
    if (claims.aud !== this.tokenUrl()) {
      throw oauthError(400, "invalid_grant", `Invalid JWT: audience must be ${this.tokenUrl()}`);
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    if (
      typeof claims.iat !== "number" ||
      typeof claims.exp !== "number" ||
      claims.exp - claims.iat > MAX_ASSERTION_SECONDS ||
      claims.exp < nowSeconds ||
      claims.iat > nowSeconds + CLOCK_SKEW_SECONDS
    ) {
      throw oauthError(
        400,
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
      );
    }
    const scopes = (claims.scope ?? "").split(" ").filter(Boolean);
    if (scopes.length === 0) throw oauthError(400, "invalid_scope", "Empty or missing scope not allowed.");
    if (claims.sub !== undefined) {
      const user = this.directory.findActive(claims.sub);
      if (!user || user.suspended) throw oauthError(400, "invalid_grant", "Invalid email or User ID");
      const granted = this.delegation.get(account.uniqueId);
      if (!granted || !scopes.every((scope) => granted.has(scope))) {
        throw oauthError(
          401,
          "unauthorized_client",
          "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
        );
      }
    }
    const accessToken = `ya29.sim-${randomToken(32)}`;
    this.issued.set(accessToken, {
      subject: claims.sub ? this.directory.findActive(claims.sub)?.primaryEmail : undefined,
      serviceAccount: account.email,
      scopes: new Set(scopes),
      expiresAtMs: this.now() + this.tokenLifetimeSeconds * 1000,
    });
    this.counts.tokenExchange++;
    return { access_token: accessToken, expires_in: this.tokenLifetimeSeconds, token_type: "Bearer" };
  }

  /** The token behind an Authorization header, or the 401 Google answers. */
  authenticate(authorization: string | undefined): IssuedToken {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match?.[1]) {
      throw apiError(
        401,
        "required",
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      );
    }
    const token = this.issued.get(match[1]);
    if (!token || token.expiresAtMs <= this.now()) {
      throw apiError(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      );
    }
    return token;
  }

  /** Expires every issued token now (a test of the adapters' 401 handling). */
  revokeIssuedTokens(): void {
    this.issued.clear();
  }

  private keyOf(account: SimServiceAccount): NonNullable<SimServiceAccount["key"]> {
    if (!account.key) {
      let key = managedKeys.get(account.email);
      if (!key) {
        const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
        key = { id: randomBytes(20).toString("hex"), privateKey, publicKey: createPublicKey(privateKey) };
        managedKeys.set(account.email, key);
      }
      account.key = key;
    }
    return account.key;
  }
}

/** Keys live as long as the process, shared by every simulator in it: RSA key generation is slow. */
const managedKeys = new Map<string, NonNullable<SimServiceAccount["key"]>>();

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** 403 insufficient scopes, as every API answers a token that lacks them. */
export function requireScope(token: IssuedToken, anyOf: readonly string[]): void {
  if (anyOf.some((scope) => token.scopes.has(scope))) return;
  throw apiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.", {
    errorInfo: { reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT", domain: "googleapis.com" },
  });
}
