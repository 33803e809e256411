/**
 * /connect/token for the client-credentials grant, with the PBX's rules:
 * - the client authenticates with client_secret_post (form fields) or client_secret_basic
 *   (Authorization: Basic, as OAuth 2.0 requires servers to accept), never both at once;
 *   a failed Basic authentication is a 401 with a WWW-Authenticate challenge and an OAuth error body;
 * - one active token per API client: issuing a new one revokes the previous one;
 * - tokens expire; `expires_in` is reported in minutes before 20.0.9 and in seconds after;
 * - an API client has a role; only System Owner may call some endpoints.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type ApiClientRole = "system_owner" | "system_admin";

export interface ApiClient {
  clientId: string;
  secret: string;
  role: ApiClientRole;
}

export interface TokenOptions {
  lifetimeSeconds: number;
  /** "minutes" reproduces 20.0.8 and older, "seconds" 20.0.9 and newer. */
  expiresInUnit: "seconds" | "minutes";
  /** JWT (what the PBX issues) or an opaque string (to exercise clients that cannot decode it). */
  format: "jwt" | "opaque";
}

export type TokenGrant =
  | { ok: true; body: { access_token: string; token_type: "Bearer"; expires_in: number } }
  | {
      ok: false;
      status: 400 | 401;
      body: { error: string; error_description: string };
      headers?: Record<string, string>;
    };

/** Client credentials from an Authorization: Basic header (RFC 6749 2.3.1: form-urlencoded, then base64). */
function basicCredentials(header: string): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString("base64url");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class TokenAuthority {
  private readonly clients = new Map<string, ApiClient>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly activeByClient = new Map<string, string>();
  private readonly signingKey = randomBytes(32);

  constructor(
    clients: readonly ApiClient[],
    public options: TokenOptions,
    private readonly now: () => number = Date.now,
  ) {
    for (const client of clients) this.clients.set(client.clientId, client);
  }

  grant(form: URLSearchParams, authorization?: string): TokenGrant {
    if (form.get("grant_type") !== "client_credentials") {
      return {
        ok: false,
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "only client_credentials is supported" },
      };
    }
    const viaHeader = authorization !== undefined;
    if (viaHeader && form.has("client_secret")) {
      return {
        ok: false,
        status: 400,
        body: {
          error: "invalid_request",
          error_description: "the client authenticated with more than one method (Basic header and form)",
        },
      };
    }
    const fromHeader = viaHeader ? basicCredentials(authorization) : undefined;
    const clientId = fromHeader?.clientId ?? form.get("client_id") ?? "";
    const secret = fromHeader?.secret ?? form.get("client_secret") ?? "";
    const client = this.clients.get(clientId);
    if (!client || !sameText(client.secret, secret)) {
      const body = { error: "invalid_client", error_description: "unknown client or wrong secret" };
      // A client that tried the Authorization header gets 401 and a challenge (RFC 6749 5.2).
      return viaHeader
        ? { ok: false, status: 401, body, headers: { "www-authenticate": 'Basic realm="3CX"' } }
        : { ok: false, status: 400, body };
    }
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.options.lifetimeSeconds;
    const token =
      this.options.format === "jwt"
        ? this.signJwt({
            sub: client.clientId,
            iat: issuedAt,
            exp: expiresAt,
            jti: randomBytes(8).toString("hex"),
          })
        : randomBytes(24).toString("base64url");
    const previous = this.activeByClient.get(client.clientId);
    if (previous !== undefined) this.tokens.delete(previous);
    this.tokens.set(token, { clientId: client.clientId, expiresAt: expiresAt * 1000 });
    this.activeByClient.set(client.clientId, token);
    const expiresIn =
      this.options.expiresInUnit === "minutes"
        ? Math.floor(this.options.lifetimeSeconds / 60)
        : this.options.lifetimeSeconds;
    return { ok: true, body: { access_token: token, token_type: "Bearer", expires_in: expiresIn } };
  }

  /** The API client behind a bearer token, or why it is refused. */
  authenticate(authorization: string | undefined): ApiClient | { refused: string } {
    const match = /^Bearer (.+)$/.exec(authorization ?? "");
    if (!match?.[1]) return { refused: "no bearer token" };
    const issued = this.tokens.get(match[1]);
    if (!issued) return { refused: "unknown or superseded token" };
    if (issued.expiresAt <= this.now()) return { refused: "token expired" };
    return this.clients.get(issued.clientId) ?? { refused: "client removed" };
  }

  /** Makes every issued token expire now (tests of refresh-on-401). */
  expireAll(): void {
    for (const issued of this.tokens.values()) issued.expiresAt = 0;
  }

  private signJwt(payload: Record<string, unknown>): string {
    const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const body = base64url(JSON.stringify(payload));
    const signature = createHmac("sha256", this.signingKey).update(`${head}.${body}`).digest("base64url");
    return `${head}.${body}.${signature}`;
  }
}
