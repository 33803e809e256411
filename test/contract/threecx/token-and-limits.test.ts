/**
 * The token endpoint's client authentication methods, and the lengths a PBX refuses with its
 * WARNINGS codes (the connector's own limits are tested against these in the e2e suite).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadXapiSpec } from "../../../shared/simulators/threecx/spec/spec-validator.js";
import { BASE_SEED, CLIENT_ID, type SimulatedPbx, startPbx } from "./harness.js";
import { detailOf, rawXapi } from "./raw-xapi.js";

const spec = loadXapiSpec();
let pbx: SimulatedPbx;

beforeAll(async () => {
  pbx = await startPbx(BASE_SEED);
});

afterAll(async () => {
  await pbx.sim.close();
});

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function tokenRequest(form: Record<string, string>, authorization?: string) {
  const response = await fetch(`${pbx.sim.url}/connect/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams(form),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("token endpoint", () => {
  it("accepts client_secret_basic, and the token it gives works", async () => {
    const answer = await tokenRequest({ grant_type: "client_credentials" }, basic(CLIENT_ID, pbx.secret));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const users = await rawXapi(pbx.sim, String(answer.body.access_token), "GET", "/Users?$select=Number");
    expect(users.status).toBe(200);
  });

  it("answers a failed Basic authentication with 401, a Basic challenge and an OAuth error body", async () => {
    const answer = await tokenRequest({ grant_type: "client_credentials" }, basic(CLIENT_ID, "wrong"));
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect(answer.body).toMatchObject({ error: "invalid_client", error_description: expect.any(String) });
  });

  it("refuses two authentication methods at once, and keeps 400 invalid_client for a wrong form secret", async () => {
    const both = await tokenRequest(
      { grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: pbx.secret },
      basic(CLIENT_ID, pbx.secret),
    );
    expect(both).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    const wrong = await tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT_ID,
      client_secret: "x",
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: "invalid_client" } });
  });

  it("gw3cx's client (form post) still gets its token", async () => {
    expect((await pbx.newClient().listUsers()).length).toBeGreaterThan(0);
  });
});

describe("field lengths", () => {
  it("refuses names over 50 characters and emails over 255 with the PBX's WARNINGS codes, through the client", async () => {
    const client = pbx.newClient();
    const fifty = "N".repeat(50);
    const created = await client.createUser({ Number: "150", FirstName: fifty, LastName: fifty });
    expect((await client.getUser(created.Id))?.FirstName).toBe(fifty);
    for (const [fields, warning, target] of [
      [{ FirstName: `${fifty}x` }, "WARNINGS.LENGTH_NOT_MORE_50_CHARS", "FirstName"],
      [{ LastName: `${fifty}x` }, "WARNINGS.LENGTH_NOT_MORE_50_CHARS", "LastName"],
      [{ Mobile: `+${"1".repeat(50)}` }, "WARNINGS.LENGTH_NOT_MORE_50_CHARS", "Mobile"],
      [{ EmailAddress: `${"e".repeat(251)}@x.io` }, "WARNINGS.LENGTH_NOT_MORE_255_CHARS", "EmailAddress"],
    ] as const) {
      await expect(client.createUser({ Number: "151", ...fields })).rejects.toMatchObject({
        code: "THREECX_REJECTED",
        status: 400,
        warning,
        target,
      });
      await expect(client.updateUser(created.Id, fields)).rejects.toMatchObject({ warning, target });
    }
    expect(await client.getUserByNumber("151")).toBeUndefined();
    expect(pbx.sim.stats.ruleRejections["WARNINGS.LENGTH_NOT_MORE_50_CHARS"]).toBe(6);
  });

  it("counts length as .NET does, in UTF-16 units: 25 emoji fit in a name, 26 do not", async () => {
    const client = pbx.newClient();
    await client.createUser({ Number: "152", FirstName: "🙂".repeat(25) });
    await expect(client.createUser({ Number: "153", FirstName: "🙂".repeat(26) })).rejects.toMatchObject({
      warning: "WARNINGS.LENGTH_NOT_MORE_50_CHARS",
    });
  });

  it("refuses a value over the spec's own maxLength with WARNINGS.STRING_TOO_LONG in the OData error shape", async () => {
    const user = await pbx.client.getUserByNumber("101");
    const token = await fetch(`${pbx.sim.url}/connect/token`, {
      method: "POST",
      headers: {
        authorization: basic(CLIENT_ID, pbx.secret),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const answer = await rawXapi(pbx.sim, token, "PATCH", `/Users(${user?.Id})`, { Blfs: "b".repeat(20481) });
    expect(answer.status).toBe(400);
    expect(spec.checkErrorBody(answer.body)).toBeUndefined();
    expect(detailOf(answer.body)).toMatchObject({ code: "WARNINGS.STRING_TOO_LONG", target: "Blfs" });
  });
});
