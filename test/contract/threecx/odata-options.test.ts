/**
 * OData query options and resources: each one the spec has is implemented or refused with 501
 * "not implemented by the simulator"; "no such resource" is kept for paths the spec lacks.
 * Raw HTTP, since gw3cx's client sends only the options it needs; the client's side is at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadXapiSpec } from "../../../shared/simulators/threecx/spec/spec-validator.js";
import { BASE_SEED, type SimulatedPbx, startPbx } from "./harness.js";
import { detailOf, formToken, rawXapi } from "./raw-xapi.js";

const spec = loadXapiSpec();
const RAW_CLIENT = { clientId: "raw-http", secret: "raw-http-secret", role: "system_owner" } as const;
let pbx: SimulatedPbx;
let token: string;
const get = (path: string) => rawXapi(pbx.sim, token, "GET", path);
const numbersOf = (body: unknown) => (body as { value: { Number: string }[] }).value.map((u) => u.Number);

beforeAll(async () => {
  pbx = await startPbx({
    ...BASE_SEED,
    apiClients: [RAW_CLIENT],
    users: [
      ...(BASE_SEED.users ?? []),
      { Number: "105", FirstName: "Grace", LastName: "Hopper", EmailAddress: "grace@example.com" },
      { Number: "104", FirstName: "Ada", LastName: "Byron", EmailAddress: "byron@example.com" },
    ],
  });
  token = await formToken(pbx.sim, RAW_CLIENT.clientId, RAW_CLIENT.secret);
});

afterAll(async () => {
  await pbx.sim.close();
});

function expectNotImplemented(answer: { status: number; body: unknown }, target: string): void {
  expect(answer.status).toBe(501);
  expect(spec.checkErrorBody(answer.body)).toBeUndefined();
  expect(detailOf(answer.body)).toMatchObject({ code: "WARNINGS.XAPI.NOT_SUPPORTED", target });
  expect(detailOf(answer.body)?.message).toContain("not implemented by the simulator");
}

describe("$orderby", () => {
  it("orders by one or more properties, asc or desc, before $skip and $top", async () => {
    expect(numbersOf((await get("/Users?$select=Number&$orderby=Number desc")).body)).toEqual([
      "105",
      "104",
      "102",
      "101",
    ]);
    const byName = await get("/Users?$select=Number&$orderby=FirstName,LastName desc&$top=2&$skip=1");
    // Ada Lovelace (101), Ada Byron (104), Alan (102), Grace (105): skip one, take two.
    expect(numbersOf(byName.body)).toEqual(["104", "102"]);
    expect(numbersOf((await get("/Peers?$select=Number&$orderby=Number asc&$top=3")).body)).toEqual([
      "100",
      "101",
      "102",
    ]);
  });
});

describe("$expand", () => {
  it("takes $select and $expand inside it, and refuses the nested options it does not implement", async () => {
    const answer = await get(
      "/Users?$select=Number&$filter=Number eq '101'&$expand=Groups($select=GroupId,Name;$expand=Rights)",
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      value: [
        {
          Number: "101",
          Groups: [{ GroupId: expect.any(Number), Name: "DEFAULT", Rights: { RoleName: "users" } }],
        },
      ],
    });
    expect(spec.checkResponseBody(spec.operationById("ListUser"), answer.body)).toBeUndefined();
    expectNotImplemented(await get("/Users?$expand=Groups($top=1)"), "$expand");
    expect(detailOf((await get("/Users?$expand=Groups($select=Nickname)")).body)?.target).toBe("$select");
  });
});

describe("$filter", () => {
  it("implements `in` with a list of literals", async () => {
    const answer = await get("/Users?$select=Number&$filter=Number in ('101','105','999')");
    expect(numbersOf(answer.body)).toEqual(["101", "105"]);
    const peers = await get("/Peers?$select=Number&$filter=Type in (Pbx.PeerType'Queue','RingGroup')");
    expect(numbersOf(peers.body)).toEqual(["100", "103"]);
  });

  it("refuses a literal of the wrong type for its property with 400, as the OData server does", async () => {
    for (const filter of [
      "Number eq 101",
      "Enabled eq 'true'",
      "Id eq '1'",
      "Number in (101)",
      "tolower(Id) eq '1'",
    ]) {
      const answer = await get(`/Users?$filter=${encodeURIComponent(filter)}`);
      expect({ filter, status: answer.status }).toEqual({ filter, status: 400 });
      expect(detailOf(answer.body)).toMatchObject({ code: "WARNINGS.INVALID", target: "$filter" });
    }
  });
});

describe("$search", () => {
  it("is refused as not implemented, never ignored", async () => {
    expectNotImplemented(await get("/Users?$search=ada"), "$search");
  });
});

describe("keys and resources", () => {
  it("takes a key by name as well as by position: Users(Id=7)", async () => {
    const ada = (await get("/Users(Number='101')?$select=Id")).body as { Id: number };
    const named = await get(`/Users(Id=${ada.Id})?$select=Number`);
    expect(named).toMatchObject({ status: 200, body: { Number: "101" } });
    const groups = await get(`/Users(Id=${ada.Id})/Groups?$select=Name`);
    expect(groups).toMatchObject({ status: 200, body: { value: [{ Name: "DEFAULT" }] } });
    expect((await get("/Users(Id='x')")).status).toBe(400);
  });

  it("answers spec resources it does not serve with 501, and 404 only for paths the spec lacks", async () => {
    for (const [method, path, operationId] of [
      ["GET", "/Contacts", "ListContact"],
      ["GET", "/MyUser", "GetMyUser"],
      ["GET", "/PhoneBookSettings", "GetPhoneBookSettings"],
      ["POST", "/Users/Pbx.BatchDelete", "BatchDelete"],
      ["DELETE", "/Users(1)", "DeleteUser"],
    ] as const) {
      expect(spec.catalogOperationId(path.replace("(1)", "({Id})"), method)).toBe(operationId);
      const answer = await rawXapi(pbx.sim, token, method, path, method === "POST" ? {} : undefined);
      expectNotImplemented(answer, operationId);
    }
    const missing = await get("/Phonebooks");
    expect(missing.status).toBe(404);
    expect(detailOf(missing.body)?.message).toContain("the XAPI spec has no resource");
  });
});
