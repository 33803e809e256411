import type { IncomingHttpHeaders } from "node:http";
import { OAuth2Client } from "google-auth-library";
import {
  CallerRejectedError,
  type CallerVerifier,
  type VerifiedCaller,
} from "../../ports/caller-identity.js";

export interface GoogleCallerVerifierOptions {
  /** IAP's audience; unset: the IAP header is not trusted (anyone could send one without IAP in front). */
  iapAudience?: string;
  /** Accepted audiences of an ID token; empty: bearer tokens are not accepted. */
  idTokenAudiences: readonly string[];
  iapPublicKeysUrl: string;
  idTokenCertsUrl: string;
}

const IAP_ISSUER = "https://cloud.google.com/iap";
const GOOGLE_ISSUERS = ["accounts.google.com", "https://accounts.google.com"];
/** IAP rotates its keys rarely and publishes no cache lifetime; re-read them at most this often. */
const IAP_KEYS_TTL_MS = 10 * 60_000;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Verifies the caller with google-auth-library: IAP's signed header (ES256, IAP's keys, the
 * configured audience, issuer https://cloud.google.com/iap), else a Google ID token in
 * Authorization: Bearer (Google's certificates, one of the accepted audiences, a verified email).
 */
export class GoogleCallerVerifier implements CallerVerifier {
  private readonly client: OAuth2Client;
  private iapKeys?: { at: number; keys: Promise<Record<string, string>> };

  constructor(private readonly options: GoogleCallerVerifierOptions) {
    this.client = new OAuth2Client({
      endpoints: {
        oauth2IapPublicKeyUrl: options.iapPublicKeysUrl,
        oauth2FederatedSignonPemCertsUrl: options.idTokenCertsUrl,
      },
    });
  }

  async verify(headers: IncomingHttpHeaders): Promise<VerifiedCaller | undefined> {
    const iap = header(headers, "x-goog-iap-jwt-assertion");
    if (iap && this.options.iapAudience) return this.verifyIap(iap, this.options.iapAudience);
    const bearer = /^Bearer\s+(\S+)$/i.exec(header(headers, "authorization") ?? "")?.[1];
    if (bearer && this.options.idTokenAudiences.length > 0) return this.verifyIdToken(bearer);
    return undefined;
  }

  private keys(): Promise<Record<string, string>> {
    if (!this.iapKeys || Date.now() - this.iapKeys.at > IAP_KEYS_TTL_MS) {
      const keys = this.client.getIapPublicKeysAsync().then((r) => r.pubkeys as Record<string, string>);
      // A failed fetch is not cached: the next request tries again.
      keys.catch(() => {
        this.iapKeys = undefined;
      });
      this.iapKeys = { at: Date.now(), keys };
    }
    return this.iapKeys.keys;
  }

  private async verifyIap(jwt: string, audience: string): Promise<VerifiedCaller> {
    const keys = await this.keys();
    let email: string | undefined;
    try {
      const ticket = await this.client.verifySignedJwtWithCertsAsync(jwt, keys, audience, [IAP_ISSUER]);
      email = ticket.getPayload()?.email;
    } catch (cause) {
      throw new CallerRejectedError("the IAP assertion did not verify", { cause, details: { via: "iap" } });
    }
    if (!email)
      throw new CallerRejectedError("the IAP assertion names no email", { details: { via: "iap" } });
    return { email: email.toLowerCase(), via: "iap" };
  }

  private async verifyIdToken(idToken: string): Promise<VerifiedCaller> {
    let payload: { email?: string; email_verified?: boolean; iss?: string } | undefined;
    try {
      const ticket = await this.client.verifyIdToken({
        idToken,
        audience: [...this.options.idTokenAudiences],
      });
      payload = ticket.getPayload();
    } catch (cause) {
      throw new CallerRejectedError("the ID token did not verify", { cause, details: { via: "id-token" } });
    }
    if (!payload?.email || payload.email_verified !== true || !GOOGLE_ISSUERS.includes(payload.iss ?? ""))
      throw new CallerRejectedError("the ID token carries no verified Google email", {
        details: { via: "id-token" },
      });
    return { email: payload.email.toLowerCase(), via: "id-token" };
  }
}
