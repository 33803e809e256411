import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreeCxError } from "../../../shared/ports/threecx.js";
import { type SimulatedPbx, startPbx } from "./harness.js";

let pbx: SimulatedPbx;

beforeAll(async () => {
  pbx = await startPbx();
});

afterAll(async () => {
  expect(pbx.sim.stats.specRejections).toEqual([]);
  await pbx.sim.close();
});

async function thrown(promise: Promise<unknown>): Promise<ThreeCxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ThreeCxError);
  return error as ThreeCxError;
}

describe("users", () => {
  it("lists every user across pages with $top/$skip and counts the requests", async () => {
    const client = pbx.newClient({ pageSize: 10 });
    for (let i = 0; i < 23; i++) {
      await client.createUser({
        Number: String(200 + i),
        FirstName: `U${i}`,
        EmailAddress: `u${i}@example.com`,
      });
    }
    client.requests.reset();
    const users = await client.listUsers();
    expect(users.map((user) => user.Number)).toEqual([
      "101",
      "102",
      ...Array.from({ length: 23 }, (_, i) => String(200 + i)),
    ]);
    // 25 users in pages of 10: three pages, the last one short.
    expect(client.requests.requests("ListUser")).toBe(3);
  });

  it("filters by email case-insensitively, by number and by enabled", async () => {
    const [ada] = await pbx.client.listUsers({ emailAddress: "ada@EXAMPLE.com" });
    expect(ada).toMatchObject({
      Number: "101",
      FirstName: "Ada",
      EmailAddress: "Ada@Example.com",
      Enabled: true,
    });
    expect(await pbx.client.listUsers({ number: "102" })).toHaveLength(1);
    expect((await pbx.client.listUsers({ enabled: false })).map((u) => u.Number)).toEqual(["102"]);
    expect(await pbx.client.listUsers({ emailAddress: "o'brien@example.com" })).toEqual([]);
  });

  it("gets a user by Id and by Number, and answers undefined for one that does not exist", async () => {
    const byNumber = await pbx.client.getUserByNumber("101");
    expect(byNumber?.FirstName).toBe("Ada");
    const byId = await pbx.client.getUser(byNumber?.Id as number);
    expect(byId).toEqual(byNumber);
    expect(await pbx.client.getUser(999_999)).toBeUndefined();
    expect(await pbx.client.getUserByNumber("9999")).toBeUndefined();
  });

  it("creates a user (201) in the default department unless Groups says otherwise", async () => {
    const departments = await pbx.client.listDepartments();
    const sales = departments.find((d) => d.Name === "Sales");
    const plain = await pbx.client.createUser({ Number: "150", FirstName: "Grace", LastName: "Hopper" });
    expect(plain).toMatchObject({
      Number: "150",
      FirstName: "Grace",
      Enabled: true,
      CurrentProfileName: "Available",
    });
    expect(await pbx.client.listUserGroups(plain.Id)).toEqual([
      { GroupId: departments[0]?.Id, RoleName: "users" },
    ]);

    const manager = await pbx.client.createUser({
      Number: "151",
      FirstName: "Katherine",
      Groups: [{ GroupId: sales?.Id as number, RoleName: "managers" }],
    });
    expect(manager.PrimaryGroupId).toBe(sales?.Id);
    expect(await pbx.client.listUserGroups(manager.Id)).toEqual([
      { GroupId: sales?.Id, RoleName: "managers" },
    ]);
  });

  it("leaves the photo out of listings and returns it when one user is read", async () => {
    const photo = `data:image/jpeg;base64,${Buffer.alloc(3000, 7).toString("base64")}`;
    const created = await pbx.client.createUser({
      Number: "180",
      FirstName: "Pia",
      EmailAddress: "pia@example.com",
      ContactImage: photo,
    });
    const [listed] = await pbx.client.listUsers({ emailAddress: "pia@example.com" });
    expect(listed?.Id).toBe(created.Id);
    expect(listed && "ContactImage" in listed).toBe(false);
    expect((await pbx.client.getUser(created.Id))?.ContactImage).toBe(photo);
  });

  it("PATCHes only the fields given and sends nothing when there is nothing to change", async () => {
    const user = await pbx.client.createUser({ Number: "152", FirstName: "Old", LastName: "Name" });
    pbx.client.requests.reset();
    await pbx.client.updateUser(user.Id, {});
    expect(pbx.client.requests.requests()).toBe(0);
    await pbx.client.updateUser(user.Id, { FirstName: "New", Mobile: "+15550152" });
    expect(pbx.client.requests.snapshot()).toEqual({ UpdateUser: { requests: 1, retries: 0 } });
    expect(pbx.sim.state.userById(user.Id)).toMatchObject({
      FirstName: "New",
      LastName: "Name",
      Mobile: "+15550152",
    });
  });

  it("moves a user to another department with a role through Groups", async () => {
    const sales = (await pbx.client.listDepartments()).find((d) => d.Name === "Sales");
    const user = await pbx.client.createUser({ Number: "153", FirstName: "Mover" });
    await pbx.client.updateUser(user.Id, {
      Groups: [{ GroupId: sales?.Id as number, RoleName: "group_admins" }],
    });
    expect(await pbx.client.listUserGroups(user.Id)).toEqual([
      { GroupId: sales?.Id, RoleName: "group_admins" },
    ]);
  });

  it("disables and enables a user", async () => {
    const user = await pbx.client.createUser({ Number: "154", FirstName: "Toggle" });
    await pbx.client.setUserEnabled(user.Id, false);
    expect((await pbx.client.getUser(user.Id))?.Enabled).toBe(false);
    await pbx.client.setUserEnabled(user.Id, true);
    expect((await pbx.client.getUser(user.Id))?.Enabled).toBe(true);
  });

  it("refuses duplicate extension numbers with the PBX's WARNINGS code (emails: duplicate-emails.test.ts)", async () => {
    const number = await thrown(pbx.client.createUser({ Number: "101", FirstName: "Again" }));
    expect(number).toMatchObject({
      code: "THREECX_REJECTED",
      status: 400,
      warning: "WARNINGS.XAPI.ALREADY_IN_USE",
      target: "Number",
      operation: "CreateUser",
    });
    expect(number.message).toContain("Number");
  });

  it("refuses a number that another DN (a queue) holds, and a department that does not exist", async () => {
    expect(await thrown(pbx.client.createUser({ Number: "100" }))).toMatchObject({
      warning: "WARNINGS.XAPI.ALREADY_IN_USE",
    });
    expect(
      await thrown(pbx.client.createUser({ Number: "170", Groups: [{ GroupId: 4242, RoleName: "users" }] })),
    ).toMatchObject({ warning: "WARNINGS.XAPI.NOT_FOUND", target: "Groups[0].GroupId" });
  });

  it("does not retry a refusal", async () => {
    const client = pbx.newClient();
    await thrown(client.createUser({ Number: "101" }));
    expect(client.requests.snapshot().CreateUser).toEqual({ requests: 1, retries: 0 });
  });

  it("lists every numbered DN and asks the PBX for the first free extension", async () => {
    const dns = await pbx.client.listDns();
    const numbers = new Set(dns.map((dn) => dn.Number));
    expect(numbers.has("100")).toBe(true);
    expect(dns.find((dn) => dn.Number === "103")?.Type).toBe("RingGroup");
    expect(dns.find((dn) => dn.Number === "101")?.Type).toBe("Extension");
    expect(dns.filter((dn) => dn.Type === "Group")).toHaveLength(2);
    // 100 (queue), 101, 102 (users) and 103 (ring group) are taken.
    expect(await pbx.client.getFirstAvailableExtensionNumber()).toBe("104");
  });

  it("lists the DNs other than users' extensions in one request, for callers that listed the users", async () => {
    const client = pbx.newClient();
    const dns = await client.listDns({ exceptUserExtensions: true });
    expect(dns.some((dn) => dn.Type === "Extension")).toBe(false);
    expect(dns.find((dn) => dn.Number === "100")?.Type).toBe("Queue");
    expect(dns.find((dn) => dn.Number === "103")?.Type).toBe("RingGroup");
    const all = await client.listDns();
    expect(dns).toEqual(all.filter((dn) => dn.Type !== "Extension"));
    expect(pbx.sim.stats.specRejections).toEqual([]);
  });
});
