import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Plays Google's side of caller identity on loopback: IAP's ES256 keys and Google's RS256 ID-token
 * certificates, each published as {kid: PEM} at its own URL (the shapes of
 * https://www.gstatic.com/iap/verify/public_key and https://www.googleapis.com/oauth2/v1/certs),
 * and tokens signed with them.
 */
export interface GoogleSigner {
  iapPublicKeysUrl: string;
  idTokenCertsUrl: string;
  /** x-goog-iap-jwt-assertion for this email and audience. */
  iapAssertion(
    claims: { email: string; aud: string; expiresInS?: number },
    key?: "google" | "stranger",
  ): string;
  /** A Google ID token (Authorization: Bearer). */
  idToken(claims: { email: string; aud: string; emailVerified?: boolean; expiresInS?: number }): string;
  close(): Promise<void>;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

function signJwt(
  alg: "ES256" | "RS256",
  kid: string,
  key: KeyObject,
  payload: Record<string, unknown>,
): string {
  const input = `${b64url(JSON.stringify({ alg, kid, typ: "JWT" }))}.${b64url(JSON.stringify(payload))}`;
  // JOSE wants ES256 signatures as raw r||s, not DER.
  const signature = createSign("SHA256")
    .update(input)
    .sign(alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key);
  return `${input}.${b64url(signature)}`;
}

export async function startGoogleSigner(): Promise<GoogleSigner> {
  const iap = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const google = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = (key: KeyObject) => key.export({ type: "spki", format: "pem" }).toString();
  const routes: Record<string, Record<string, string>> = {
    "/iap/verify/public_key": { "iap-key-1": pem(iap.publicKey) },
    "/oauth2/v1/certs": { "google-key-1": pem(google.publicKey) },
  };
  const server: Server = createServer((req, res) => {
    const body = routes[req.url ?? ""];
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = () => Math.floor(Date.now() / 1000);
  return {
    iapPublicKeysUrl: `${base}/iap/verify/public_key`,
    idTokenCertsUrl: `${base}/oauth2/v1/certs`,
    iapAssertion: ({ email, aud, expiresInS = 600 }, key = "google") =>
      signJwt("ES256", "iap-key-1", key === "google" ? iap.privateKey : stranger.privateKey, {
        iss: "https://cloud.google.com/iap",
        aud,
        sub: `accounts.google.com:${email.length}`,
        email,
        iat: now() - 5,
        exp: now() + expiresInS,
      }),
    idToken: ({ email, aud, emailVerified = true, expiresInS = 600 }) =>
      signJwt("RS256", "google-key-1", google.privateKey, {
        iss: "https://accounts.google.com",
        aud,
        sub: `1${email.length}`,
        email,
        email_verified: emailVerified,
        iat: now() - 5,
        exp: now() + expiresInS,
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
