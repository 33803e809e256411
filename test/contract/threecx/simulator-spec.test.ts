/**
 * The simulator checked against the official spec with raw HTTP, not through gw3cx's client:
 * paths, status codes, success bodies (validated against the spec's response schemas), the
 * OData error shape, and the refusals a real PBX makes.
 */
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XAPI_OPERATIONS } from "../../../shared/adapters/threecx/operations.js";
import {
  startThreeCxSimulator,
  type ThreeCxSimulator,
} from "../../../shared/simulators/threecx/simulator.js";
import {
  extractSubset,
  REFERENCE_SPEC_PATH,
  renderSubset,
  SUBSET_PATH,
} from "../../../shared/simulators/threecx/spec/extract-subset.js";
import { loadXapiSpec } from "../../../shared/simulators/threecx/spec/spec-validator.js";

const spec = loadXapiSpec();
let sim: ThreeCxSimulator;
let ownerToken: string;
let adminToken: string;

async function token(clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${sim.url}/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: secret,
      grant_type: "client_credentials",
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body.token_type).toBe("Bearer");
  expect(body.expires_in).toBe(3600);
  return body.access_token;
}

async function xapi(
  method: string,
  path: string,
  body?: unknown,
  bearer = ownerToken,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sim.url}/xapi/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** Asserts a 2xx body matches the spec's response schema for the operation. */
function expectSpecResponse(operationId: string, body: unknown): void {
  expect(spec.checkResponseBody(spec.operationById(operationId), body)).toBeUndefined();
}

function expectODataError(body: unknown, code: string, target: string): void {
  expect(spec.checkErrorBody(body)).toBeUndefined();
  expect(body).toMatchObject({ error: { code: "", details: [{ code, target }] } });
}

beforeAll(async () => {
  sim = await startThreeCxSimulator({
    seed: {
      apiClients: [
        { clientId: "owner", secret: "owner-secret", role: "system_owner" },
        { clientId: "admin", secret: "admin-secret", role: "system_admin" },
      ],
      users: [{ Number: "100", FirstName: "Ada", EmailAddress: "ada@example.com" }],
      contacts: [{ ownerNumber: "100", contact: { FirstName: "Bob", PhoneNumber: "+1" } }],
    },
  });
  ownerToken = await token("owner", "owner-secret");
  adminToken = await token("admin", "admin-secret");
});

afterAll(async () => {
  await sim.close();
});

describe("the simulator's spec is the official one", () => {
  it.skipIf(!existsSync(REFERENCE_SPEC_PATH) && process.env.CI !== "true")(
    "the vendored subset equals a fresh extraction from the reference spec",
    () => {
      const fresh = extractSubset(readFileSync(REFERENCE_SPEC_PATH, "utf8"), "xapi-swagger-20.0.10.yaml");
      expect(JSON.parse(readFileSync(SUBSET_PATH, "utf8"))).toEqual(JSON.parse(renderSubset(fresh)));
    },
  );

  it("every operation the client can call exists in the spec with the same method and path", () => {
    for (const [operationId, { method, path }] of Object.entries(XAPI_OPERATIONS)) {
      const op = spec.operationById(operationId);
      expect({ operationId, method: op.method.toUpperCase(), path: op.path }).toEqual({
        operationId,
        method,
        path,
      });
    }
  });
});

describe("responses follow the spec", () => {
  it("serves users, groups, peers, profiles, contacts and settings in the spec's shapes", async () => {
    const list = await xapi("GET", "/Users?$count=true&$expand=Groups");
    expect(list.status).toBe(200);
    expectSpecResponse("ListUser", list.body);
    expect(list.body).toMatchObject({
      "@odata.count": 1,
      value: [{ Number: "100", Groups: [{ Name: "DEFAULT" }] }],
    });

    const created = await xapi("POST", "/Users", { Number: "101", FirstName: "New", Enabled: true });
    expect(created.status).toBe(201);
    expectSpecResponse("CreateUser", created.body);
    const id = (created.body as { Id: number }).Id;

    for (const [operationId, path] of [
      ["GetUser", `/Users(${id})`],
      ["GetUserByNumber", "/Users(Number='101')"],
      ["ListGroups", `/Users(${id})/Groups?$expand=Rights`],
      ["ListForwardingProfiles", `/Users(${id})/ForwardingProfiles`],
      ["GetFirstAvailableExtensionNumber", "/Users/Pbx.GetFirstAvailableExtensionNumber()"],
      ["ListGroup", "/Groups"],
      ["ListPeer", "/Peers"],
      ["GetContactsByNumber", "/Contacts/Pbx.GetContactsByNumber(number='100')"],
      ["GetGoogleSettings", "/GoogleSettings"],
      ["GetMailSettings", "/MailSettings"],
      ["GetRemoteArchivingSettings", "/RemoteArchivingSettings"],
      ["GetVoicemailSettings", "/VoicemailSettings"],
    ] as const) {
      const response = await xapi("GET", path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expectSpecResponse(operationId, response.body);
    }

    const contact = await xapi("POST", "/Contacts/Pbx.CreateContactByNumber", {
      number: "101",
      contact: { LastName: "Smith", Home: "+2" },
    });
    expect(contact.status).toBe(200);
    expectSpecResponse("CreateContactByNumber", contact.body);
    const contactId = (contact.body as { Id: number }).Id;
    expect((await xapi("PATCH", `/Contacts(${contactId})`, { Title: "Dr" })).status).toBe(204);
    expect((await xapi("POST", "/Contacts/Pbx.DeleteContactsById", { ids: [contactId] })).status).toBe(204);
    expect((await xapi("PATCH", `/Users(${id})`, { LastName: "Name" })).status).toBe(204);
    expect((await xapi("PATCH", "/GoogleSettings", { ReCaptchaEnabled: true })).status).toBe(204);
  });
});

describe("requests the spec forbids are refused with a readable OData error", () => {
  it("an unknown property names the property and the type", async () => {
    const response = await xapi("POST", "/Users", { Number: "110", Nickname: "Ada" });
    expect(response.status).toBe(400);
    expectODataError(response.body, "WARNINGS.INVALID", "Nickname");
    expect(JSON.stringify(response.body)).toContain("Pbx.User does not define it");
  });

  it("a wrong type names the property, the expected type and the value", async () => {
    const response = await xapi("PATCH", "/Users(1)", { Enabled: "yes" });
    expect(response.status).toBe(400);
    expectODataError(response.body, "WARNINGS.INVALID", "Enabled");
    expect((response.body as { error: { message: string } }).error.message).toBe(
      'Enabled: must be boolean or null, got string "yes"',
    );
  });

  it("a nested error is targeted with its path", async () => {
    const response = await xapi("POST", "/Contacts/Pbx.CreateContactByNumber", {
      number: "100",
      contact: { FirstName: "X", PhoneNumber: 5 },
    });
    expectODataError(response.body, "WARNINGS.INVALID", "contact.PhoneNumber");
  });

  it("query options are checked against the spec and the entity", async () => {
    for (const [query, target] of [
      ["$top=-1", "$top"],
      ["$top=ten", "$top"],
      ["$count=maybe", "$count"],
      ["$select=Id,Nickname", "$select"],
      ["$expand=Phonebook", "$expand"],
      ["$filter=Number eq", "$filter"],
      ["$filter=substringof('a',FirstName)", "$filter"],
      ["$filter=Nickname eq 'x'", "$filter"],
      ["$orderby=Nickname", "$orderby"],
      ["$orderby=Groups", "$orderby"],
      ["$unknown=1", "$unknown"],
      ["$top=5000", "$top"],
    ]) {
      const response = await xapi("GET", `/Users?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect((response.body as { error: { details: { target: string }[] } }).error.details[0]?.target).toBe(
        target,
      );
    }
  });

  it("paths and methods outside the spec are refused, and every refusal is recorded", async () => {
    sim.resetStats();
    expect((await xapi("GET", "/Userz")).status).toBe(404);
    expect((await xapi("PUT", "/Users(1)", {})).status).toBe(405);
    expect((await xapi("GET", "/Users(Number=100)")).status).toBe(400);
    // DELETE exists in the spec; the simulator refuses what it does not simulate rather than pretend.
    expect((await xapi("DELETE", "/Users(1)")).status).toBe(501);
    expect(sim.stats.specRejections.map((r) => r.status)).toEqual([404, 405, 400, 501]);
  });
});

describe("rules the PBX adds to the spec", () => {
  it("the extension number of a user cannot change", async () => {
    const response = await xapi("PATCH", "/Users(Number='100')", { Number: "199" });
    expect(response.status).toBe(405);
    const ada = (await xapi("GET", "/Users(Number='100')?$select=Id")).body as { Id: number };
    const patch = await xapi("PATCH", `/Users(${ada.Id})`, { Number: "199" });
    expect(patch.status).toBe(400);
    expectODataError(patch.body, "WARNINGS.XAPI.FORBIDDEN_CHANGE", "Number");
  });

  it("duplicate numbers are refused (a second user with an email is not: duplicate-emails.test.ts)", async () => {
    expectODataError(
      (await xapi("POST", "/Users", { Number: "100" })).body,
      "WARNINGS.XAPI.ALREADY_IN_USE",
      "Number",
    );
  });

  it("a profile name the user does not have is refused", async () => {
    const response = await xapi("PATCH", "/Users(Number='100')", {});
    expect(response.status).toBe(405);
    const ada = (await xapi("GET", "/Users(Number='100')?$select=Id")).body as { Id: number };
    expectODataError(
      (await xapi("PATCH", `/Users(${ada.Id})`, { CurrentProfileName: "Lunch" })).body,
      "WARNINGS.XAPI.NOT_FOUND",
      "CurrentProfileName",
    );
  });

  it("only the newest token of an API client works", async () => {
    const older = await token("owner", "owner-secret");
    const newer = await token("owner", "owner-secret");
    expect((await xapi("GET", "/Users", undefined, older)).status).toBe(401);
    expect((await xapi("GET", "/Users", undefined, newer)).status).toBe(200);
    ownerToken = newer;
  });

  it("wrong credentials get an OAuth error", async () => {
    const response = await fetch(`${sim.url}/connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "client_id=owner&client_secret=nope&grant_type=client_credentials",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  it("System Administrator API clients get 403 on system settings, not on users", async () => {
    expect((await xapi("GET", "/Users", undefined, adminToken)).status).toBe(200);
    const forbidden = await xapi("GET", "/MailSettings", undefined, adminToken);
    expect(forbidden.status).toBe(403);
    expect(spec.checkErrorBody(forbidden.body)).toBeUndefined();
  });
});

describe("admin endpoint", () => {
  it("exposes state and takes fault rules over HTTP", async () => {
    const state = (await (await fetch(`${sim.url}/_sim/state`)).json()) as { users: { Number: string }[] };
    expect(state.users.map((u) => u.Number)).toContain("100");
    const added = await fetch(`${sim.url}/_sim/faults`, {
      method: "POST",
      body: JSON.stringify({ operation: "ListPeer", fault: "status503", times: 1 }),
    });
    expect(added.status).toBe(201);
    expect((await xapi("GET", "/Peers")).status).toBe(503);
    expect((await xapi("GET", "/Peers")).status).toBe(200);
  });
});
