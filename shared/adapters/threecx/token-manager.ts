/**
 * The one XAPI access token of this process. 3CX keeps a single active token per API client
 * (asking for a new one revokes the old), so every request shares this token: concurrent callers
 * wait on the same fetch instead of racing for new tokens, it is renewed shortly before it
 * expires, and renewed once when the PBX answers 401.
 */
import { ThreeCxError } from "../../ports/threecx.js";
import type { SharedTokenStore } from "./shared-token-store.js";

/**
 * XAPI reported expires_in in minutes before 20.0.9 and in seconds since. No 3CX token lives
 * under five minutes or over five hours, so a value up to this bound is read as minutes.
 */
const MINUTES_BOUND = 300;

export interface TokenResponse {
  access_token: string;
  expires_in: number;
}

export interface TokenManagerOptions {
  /** Performs POST /connect/token (with retries); returns the parsed body. */
  requestToken: () => Promise<TokenResponse>;
  now?: () => number;
  /** Renew when this much of the lifetime is left (default: 10% of it, at most 60 s). */
  refreshMarginMs?: number;
  /** Shares the token with other processes of the same API client (see shared-token-store.ts). */
  shared?: SharedTokenStore;
}

interface HeldToken {
  token: string;
  expiresAt: number;
}

/** Lifetime in seconds from the JWT's own iat/exp (both on the PBX clock), if it is a JWT. */
function jwtLifetimeSeconds(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (token.split(".").length !== 3 || payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      iat?: unknown;
      exp?: unknown;
    };
    if (typeof claims.iat === "number" && typeof claims.exp === "number" && claims.exp > claims.iat) {
      return claims.exp - claims.iat;
    }
  } catch {
    // Not a JWT after all: fall back to expires_in.
  }
  return undefined;
}

/** Token lifetime in seconds, whichever unit this PBX version reports expires_in in. */
export function tokenLifetimeSeconds(response: TokenResponse): number {
  const fromJwt = jwtLifetimeSeconds(response.access_token);
  if (fromJwt !== undefined) return fromJwt;
  return response.expires_in <= MINUTES_BOUND ? response.expires_in * 60 : response.expires_in;
}

export class TokenManager {
  private held: HeldToken | undefined;
  private pending: Promise<HeldToken> | undefined;
  /** The last token the PBX refused: never taken back from the shared store. */
  private refused: string | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A token valid for a while yet; fetches one if needed (one fetch however many callers wait). */
  async token(): Promise<string> {
    const held = this.held;
    if (held && this.now() < held.expiresAt) return held.token;
    this.pending ??= this.sharedOrFetch().finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).token;
  }

  /** The PBX refused `token` (401): forget it, unless another caller already replaced it. */
  invalidate(token: string): void {
    this.refused = token;
    if (this.held?.token === token) this.held = undefined;
  }

  /** Another process's newer token if the store has a usable one, else a fetched one (then shared). */
  private async sharedOrFetch(): Promise<HeldToken> {
    const shared = await this.options.shared?.load();
    if (shared && shared.token !== this.refused && this.now() < shared.expiresAt) {
      this.held = shared;
      return shared;
    }
    const fresh = await this.fetch();
    await this.options.shared?.save(fresh);
    return fresh;
  }

  private async fetch(): Promise<HeldToken> {
    const requestedAt = this.now();
    const response = await this.options.requestToken();
    if (typeof response.access_token !== "string" || typeof response.expires_in !== "number") {
      throw new ThreeCxError("THREECX_PROTOCOL", "3CX token response lacks access_token or expires_in", {
        operation: "Token",
      });
    }
    const lifetimeMs = tokenLifetimeSeconds(response) * 1000;
    const margin = this.options.refreshMarginMs ?? Math.min(60_000, lifetimeMs / 10);
    // Counted from when the request left: the PBX started the clock no later than that.
    const held = { token: response.access_token, expiresAt: requestedAt + lifetimeMs - margin };
    this.held = held;
    return held;
  }
}
