import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeylessDelegation } from "../../../shared/adapters/google/delegation.js";
import { DelegationError } from "../../../shared/adapters/google/delegation-error.js";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import { fixedSourceCredential } from "../../../shared/adapters/google/source-credential.js";
import { DirectoryError } from "../../../shared/ports/directory.js";
import {
  ADMIN,
  baseSeed,
  CLIENT_ID,
  DOMAIN,
  SERVICE_ACCOUNT,
  SOURCE_TOKEN,
  startWorkspace,
  type Workspace,
} from "./support.js";

describe("keyless domain-wide delegation against the simulator", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await startWorkspace();
  });
  afterEach(() => ws.close());

  it("signs the claims with signJwt and exchanges them with the jwt-bearer grant", async () => {
    const token = await ws.delegation.accessToken(ADMIN, SCOPES.directoryUsers);
    expect(token).toMatch(/^ya29\./);
    expect(ws.sim.count("iamcredentials.signJwt")).toBe(1);
    expect(ws.sim.count("oauth.token")).toBe(1);
    // The token works on a real call and acts as the subject.
    const user = await ws.directory.getUser(`grace@${DOMAIN}`);
    expect(user?.givenName).toBe("Grace");
  });

  it("caches tokens per subject and scopes until shortly before expiry", async () => {
    // One clock for both sides: the simulator checks iat/exp against its own time.
    const clock = ws.sim.tenant.clock;
    const delegation = new KeylessDelegation({
      serviceAccountEmail: SERVICE_ACCOUNT,
      sourceCredential: fixedSourceCredential(SOURCE_TOKEN),
      endpoints: ws.sim.endpoints,
      now: () => clock.now(),
      refreshMarginSeconds: 300,
    });
    const first = await delegation.accessToken(ADMIN, SCOPES.directoryUsers);
    expect(await delegation.accessToken(ADMIN, [...SCOPES.directoryUsers])).toBe(first);
    expect(ws.sim.count("oauth.token")).toBe(1);

    // Another subject or another scope set is another token.
    await delegation.accessToken(`grace@${DOMAIN}`, SCOPES.directoryUsers);
    await delegation.accessToken(ADMIN, SCOPES.directoryGroupMembers);
    expect(ws.sim.count("oauth.token")).toBe(3);

    // Still valid 50 minutes later (the simulator grants 3599 s, the margin is 300 s)...
    clock.advance(50 * 60_000);
    expect(await delegation.accessToken(ADMIN, SCOPES.directoryUsers)).toBe(first);
    // ...but within the margin before expiry a fresh one is fetched.
    clock.advance(5 * 60_000);
    const second = await delegation.accessToken(ADMIN, SCOPES.directoryUsers);
    expect(second).not.toBe(first);
    expect(ws.sim.count("oauth.token")).toBe(4);
  });

  it("shares one exchange between concurrent requests for the same pair", async () => {
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => ws.delegation.accessToken(ADMIN, SCOPES.directoryUsers)),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(ws.sim.count("oauth.token")).toBe(1);
  });

  it("fails like Google (unauthorized_client) for a scope the delegation entry does not grant", async () => {
    await ws.close();
    ws = await startWorkspace(
      baseSeed({ domainWideDelegation: [{ clientId: CLIENT_ID, scopes: [...SCOPES.calendarEvents] }] }),
    );
    const denied = await ws.delegation.accessToken(ADMIN, SCOPES.directoryUsers).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(DelegationError);
    expect(denied).toMatchObject({
      code: "DELEGATION_TOKEN_EXCHANGE_FAILED",
      reason: "unauthorized_client",
      status: 401,
    });

    // Through an adapter it is the port's typed error, reason kept, not retried.
    const viaAdapter = await ws.directory.getUser(ADMIN).catch((e: unknown) => e);
    expect(viaAdapter).toBeInstanceOf(DirectoryError);
    expect(viaAdapter).toMatchObject({ code: "DIRECTORY_NOT_AUTHORIZED", reason: "unauthorized_client" });
    expect(ws.sim.count("oauth.token")).toBe(2);
  });

  it("refuses a signJwt call by an identity that is not the service account", async () => {
    const delegation = new KeylessDelegation({
      serviceAccountEmail: SERVICE_ACCOUNT,
      sourceCredential: fixedSourceCredential("someone-else"),
      endpoints: ws.sim.endpoints,
    });
    const error = await delegation.accessToken(ADMIN, SCOPES.directoryUsers).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "DELEGATION_SIGN_JWT_FAILED", status: 401 });
  });

  it("checks the signature of the assertion at the token endpoint", async () => {
    const signed = await fetch(`${ws.sim.url}/v1/projects/-/serviceAccounts/${SERVICE_ACCOUNT}:signJwt`, {
      method: "POST",
      headers: { authorization: `Bearer ${SOURCE_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        payload: JSON.stringify({
          iss: SERVICE_ACCOUNT,
          sub: ADMIN,
          scope: SCOPES.directoryUsers.join(" "),
          aud: ws.sim.endpoints.oauthTokenUrl,
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + 3600,
        }),
      }),
    }).then((r) => r.json() as Promise<{ signedJwt: string }>);
    const [head, body, signature] = signed.signedJwt.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: `grace@${DOMAIN}` })).toString("base64url");

    const exchange = (assertion: string) =>
      fetch(ws.sim.endpoints.oauthTokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      });
    const genuine = await exchange(signed.signedJwt);
    expect(genuine.status).toBe(200);
    const tampered = await exchange(`${head}.${forged}.${signature}`);
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toEqual({
      error: "invalid_grant",
      error_description: "Invalid JWT Signature.",
    });
  });

  it("refuses to act as a suspended user (invalid_grant)", async () => {
    const error = await ws.calendar.syncEvents(`alan@${DOMAIN}`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CALENDAR_NOT_AUTHORIZED", reason: "invalid_grant" });
  });

  it("fetches a fresh token once when Google answers 401 to a cached one", async () => {
    await ws.directory.getUser(ADMIN);
    ws.sim.tenant.auth.revokeIssuedTokens();
    const user = await ws.directory.getUser(ADMIN);
    expect(user?.isAdmin).toBe(true);
    expect(ws.sim.count("oauth.token")).toBe(2);
  });
});
