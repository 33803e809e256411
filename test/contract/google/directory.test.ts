import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DirectoryUser } from "../../../shared/ports/directory.js";
import { withGeneratedUsers } from "../../../shared/simulators/google/seed.js";
import { ADMIN, baseSeed, DOMAIN, startWorkspace, type Workspace } from "./support.js";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

async function collect(users: AsyncIterable<DirectoryUser>): Promise<DirectoryUser[]> {
  const out: DirectoryUser[] = [];
  for await (const user of users) out.push(user);
  return out;
}

describe("GoogleDirectory against the simulator", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await startWorkspace(withGeneratedUsers(baseSeed(), 1200));
  });
  afterAll(() => ws.close());
  beforeEach(() => ws.sim.resetRequests());

  it("lists every active user, 500 a page, as the admin with quotaUser set", async () => {
    const users = await collect(ws.directory.listUsers());
    expect(users).toHaveLength(1200 + 4);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(ws.sim.count("directory.users.list")).toBe(3);
    const directoryCalls = ws.sim.requests.filter((r) => r.operation.startsWith("directory."));
    expect(directoryCalls.map((r) => r.quotaUser)).toEqual([ADMIN, ADMIN, ADMIN]);
  });

  it("maps states, org unit, phones and job title", async () => {
    const users = await collect(ws.directory.listUsers({ query: "email:a*" }));
    const byEmail = new Map(users.map((u) => [u.primaryEmail, u]));
    expect(byEmail.get(`alan@${DOMAIN}`)).toMatchObject({ suspended: true, archived: false, deleted: false });
    const grace = await ws.directory.getUser(`grace@${DOMAIN}`);
    expect(grace).toMatchObject({
      givenName: "Grace",
      familyName: "Hopper",
      fullName: "Grace Hopper",
      orgUnitPath: "/Sales/EMEA",
      jobTitle: "Admiral",
      department: "Sales",
      suspended: false,
      archived: false,
      isAdmin: false,
    });
    expect(grace?.phones).toEqual([
      { value: "+49 30 7654321", type: "work", primary: false, customType: undefined },
      { value: "+49 170 1111111", type: "mobile", primary: false, customType: undefined },
    ]);
    expect((await ws.directory.getUser(`linus@${DOMAIN}`))?.archived).toBe(true);
  });

  it("asks for a partial response and the simulator honours it", async () => {
    await ws.directory.listUsersPage({ maxResults: 1 });
    const response = await fetch(
      `${ws.sim.url}/admin/directory/v1/users?customer=my_customer&maxResults=1&fields=nextPageToken,users(id,name(givenName))`,
      {
        headers: {
          authorization: `Bearer ${await ws.delegation.accessToken(ADMIN, ["https://www.googleapis.com/auth/admin.directory.user.readonly"])}`,
        },
      },
    );
    const body = (await response.json()) as {
      users: Array<Record<string, unknown>>;
      nextPageToken?: string;
      kind?: string;
    };
    expect(Object.keys(body).sort()).toEqual(["nextPageToken", "users"]);
    expect(Object.keys(body.users[0] ?? {}).sort()).toEqual(["id", "name"]);
    expect(Object.keys((body.users[0]?.name as object) ?? {})).toEqual(["givenName"]);
  });

  it("filters by org unit subtree and lists deleted users only with showDeleted", async () => {
    const emea = await collect(ws.directory.listUsers({ query: "orgUnitPath='/Sales'" }));
    expect(emea.some((u) => u.primaryEmail === `grace@${DOMAIN}`)).toBe(true);
    expect(emea.every((u) => u.orgUnitPath.startsWith("/Sales"))).toBe(true);
    const deleted = await collect(ws.directory.listUsers({ showDeleted: true }));
    expect(deleted.map((u) => [u.primaryEmail, u.deleted])).toEqual([[`gone@${DOMAIN}`, true]]);
  });

  it("gets a user by id or email; a missing or deleted one is undefined", async () => {
    const grace = await ws.directory.getUser(`grace@${DOMAIN}`);
    expect((await ws.directory.getUser(grace?.id ?? ""))?.primaryEmail).toBe(`grace@${DOMAIN}`);
    expect(await ws.directory.getUser(`nobody@${DOMAIN}`)).toBeUndefined();
    expect(await ws.directory.getUser(`gone@${DOMAIN}`)).toBeUndefined();
  });

  it("decodes the web-safe photo in both padding forms", async () => {
    ws.sim.tenant.setUserPhoto(`grace@${DOMAIN}`, PNG, "image/png");
    for (const padding of ["*", "."] as const) {
      ws.sim.tenant.photoPadding = padding;
      const photo = await ws.directory.getUserPhoto(`grace@${DOMAIN}`);
      expect(photo?.data.equals(PNG)).toBe(true);
      expect(photo?.mimeType).toBe("image/png");
    }
    expect((await ws.directory.getUser(`grace@${DOMAIN}`))?.thumbnailPhotoEtag).toMatch(/^"/);
    expect(await ws.directory.getUserPhoto(ADMIN)).toBeUndefined();
  });

  it("lists group members (nested groups flattened) and answers hasMember", async () => {
    const members = await ws.directory.listGroupMembers(`sales@${DOMAIN}`);
    expect(members.map((m) => m.email).sort()).toEqual([ADMIN, `emea@${DOMAIN}`, `grace@${DOMAIN}`].sort());
    expect(members.find((m) => m.email === `emea@${DOMAIN}`)?.type).toBe("GROUP");
    const direct = await ws.directory.listGroupMembers(`sales@${DOMAIN}`, { includeDerived: false });
    expect(direct.map((m) => m.email).sort()).toEqual([ADMIN, `emea@${DOMAIN}`].sort());
    expect(await ws.directory.hasGroupMember(`sales@${DOMAIN}`, `grace@${DOMAIN}`)).toBe(true);
    expect(await ws.directory.hasGroupMember(`sales@${DOMAIN}`, `alan@${DOMAIN}`)).toBe(false);
    await expect(ws.directory.hasGroupMember(`nogroup@${DOMAIN}`, ADMIN)).rejects.toMatchObject({
      code: "DIRECTORY_NOT_FOUND",
      reason: "notFound",
    });
  });

  it("reads a user created or suspended during the test", async () => {
    ws.sim.tenant.createUser({ primaryEmail: `new@${DOMAIN}`, givenName: "New", familyName: "Hire" });
    expect((await ws.directory.getUser(`new@${DOMAIN}`))?.suspended).toBe(false);
    ws.sim.tenant.suspendUser(`new@${DOMAIN}`);
    expect((await ws.directory.getUser(`new@${DOMAIN}`))?.suspended).toBe(true);
  });
});

describe("Directory at the scale of the user-sync benchmark", () => {
  it("lists 10,000 users in exactly 20 calls at 25 ms injected latency", async () => {
    const ws = await startWorkspace(
      withGeneratedUsers(baseSeed({ users: [baseSeed().users?.[0] as never] }), 9999),
    );
    try {
      ws.sim.addFault({ operation: "directory.users.list", latencyMs: 25 });
      let count = 0;
      for await (const _ of ws.directory.listUsers()) count++;
      expect(count).toBe(10_000);
      expect(ws.sim.count("directory.users.list")).toBe(20);
    } finally {
      await ws.close();
    }
  });
});
