import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GoogleCallerVerifier } from "../../../shared/adapters/google/google-caller-verifier.js";
import { type GoogleSigner, startGoogleSigner } from "../../support/google-signer.js";

const AUDIENCE = "/projects/123/locations/europe-west1/services/gw3cx-status-page";
const URL_AUDIENCE = "https://europe-west1-acme.cloudfunctions.net/gw3cx-status-page";

/** The caller verifier on google-auth-library, against keys published and tokens signed on loopback. */
describe("GoogleCallerVerifier (IAP assertion, Google ID token)", () => {
  let signer: GoogleSigner;
  let verifier: GoogleCallerVerifier;
  beforeAll(async () => {
    signer = await startGoogleSigner();
    verifier = new GoogleCallerVerifier({
      iapAudience: AUDIENCE,
      idTokenAudiences: [URL_AUDIENCE],
      iapPublicKeysUrl: signer.iapPublicKeysUrl,
      idTokenCertsUrl: signer.idTokenCertsUrl,
    });
  });
  afterAll(() => signer.close());

  const iap = (jwt: string) => ({ "x-goog-iap-jwt-assertion": jwt });
  const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });

  it("accepts IAP's ES256 assertion for the configured audience and names the caller", async () => {
    const jwt = signer.iapAssertion({ email: "Admin@Example.com", aud: AUDIENCE });
    await expect(verifier.verify(iap(jwt))).resolves.toEqual({ email: "admin@example.com", via: "iap" });
  });

  it.each([
    ["another audience", () => signer.iapAssertion({ email: "a@example.com", aud: "/projects/9/other" })],
    // Past google-auth-library's allowance for clock skew (300 s).
    [
      "an expired assertion",
      () => signer.iapAssertion({ email: "a@example.com", aud: AUDIENCE, expiresInS: -600 }),
    ],
    [
      "a key IAP never published",
      () => signer.iapAssertion({ email: "a@example.com", aud: AUDIENCE }, "stranger"),
    ],
    ["garbage", () => "not.a.jwt"],
  ])("refuses an IAP assertion with %s (CALLER_REJECTED)", async (_name, jwt) => {
    await expect(verifier.verify(iap(jwt()))).rejects.toMatchObject({ code: "CALLER_REJECTED" });
  });

  it("ignores the IAP header when no IAP audience is configured (anyone could send it without IAP in front)", async () => {
    const noIap = new GoogleCallerVerifier({
      idTokenAudiences: [],
      iapPublicKeysUrl: signer.iapPublicKeysUrl,
      idTokenCertsUrl: signer.idTokenCertsUrl,
    });
    const jwt = signer.iapAssertion({ email: "a@example.com", aud: AUDIENCE });
    await expect(noIap.verify(iap(jwt))).resolves.toBeUndefined();
  });

  it("accepts a Google ID token for one of the audiences, with a verified email", async () => {
    const jwt = signer.idToken({ email: "admin@example.com", aud: URL_AUDIENCE });
    await expect(verifier.verify(bearer(jwt))).resolves.toEqual({
      email: "admin@example.com",
      via: "id-token",
    });
  });

  it.each([
    ["another audience", () => signer.idToken({ email: "a@example.com", aud: "https://elsewhere.example" })],
    [
      "an unverified email",
      () => signer.idToken({ email: "a@example.com", aud: URL_AUDIENCE, emailVerified: false }),
    ],
    [
      "an expired token",
      () => signer.idToken({ email: "a@example.com", aud: URL_AUDIENCE, expiresInS: -600 }),
    ],
    [
      "an IAP assertion in its place",
      () => signer.iapAssertion({ email: "a@example.com", aud: URL_AUDIENCE }),
    ],
  ])("refuses an ID token with %s (CALLER_REJECTED)", async (_name, jwt) => {
    await expect(verifier.verify(bearer(jwt()))).rejects.toMatchObject({ code: "CALLER_REJECTED" });
  });

  it("without any credential says so (undefined), which the page answers with 401", async () => {
    await expect(verifier.verify({})).resolves.toBeUndefined();
  });
});
