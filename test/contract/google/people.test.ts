import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN, baseSeed, DOMAIN, startWorkspace, type Workspace } from "./support.js";

const GRACE = `grace@${DOMAIN}`;

describe("GooglePeople against the simulator", () => {
  let ws: Workspace;
  beforeEach(async () => {
    const seed = baseSeed();
    const grace = seed.users?.find((u) => u.primaryEmail === GRACE);
    if (grace) {
      grace.labels = ["3CX", "Family"];
      grace.contacts = [
        {
          givenName: "Charles",
          familyName: "Babbage",
          company: "Analytical Engines",
          jobTitle: "Inventor",
          phones: [
            { value: "+44 20 7946 0000", type: "work" },
            { value: "+44 7700 900000", type: "mobile" },
          ],
          emails: [{ value: "charles@example.org", type: "work" }],
          labels: ["3CX"],
        },
        {
          givenName: "Aunt",
          familyName: "Agatha",
          phones: [{ value: "+44 20 7946 0001", type: "home" }],
          labels: ["Family"],
        },
      ];
    }
    ws = await startWorkspace(seed);
  });
  afterEach(() => ws.close());

  it("full sync lists the user's contacts with phones, company and labels", async () => {
    const result = await ws.people.syncContacts(GRACE);
    expect(result).toMatchObject({ full: true, tokenExpired: false });
    expect(result.contacts).toHaveLength(2);
    const charles = result.contacts.find((c) => c.givenName === "Charles");
    expect(charles).toMatchObject({
      deleted: false,
      familyName: "Babbage",
      displayName: "Charles Babbage",
      company: "Analytical Engines",
      jobTitle: "Inventor",
      emails: [{ value: "charles@example.org", type: "work" }],
      photoUrl: undefined,
    });
    expect(charles?.phones).toEqual([
      { value: "+44 20 7946 0000", canonicalForm: "+442079460000", type: "work" },
      { value: "+44 7700 900000", canonicalForm: "+447700900000", type: "mobile" },
    ]);
    const label = await ws.people.findContactLabel(GRACE, "3CX");
    expect(label?.resourceName).toMatch(/^contactGroups\//);
    expect(charles?.labelResourceNames).toContain(label?.resourceName);
    expect(result.contacts.find((c) => c.givenName === "Aunt")?.labelResourceNames).not.toContain(
      label?.resourceName,
    );
    expect(await ws.people.findContactLabel(GRACE, "3cx")).toEqual(label);
    expect(await ws.people.findContactLabel(GRACE, "Nope")).toBeUndefined();
    // Another user sees only their own (none).
    expect((await ws.people.syncContacts(ADMIN)).contacts).toEqual([]);
  });

  it("incremental sync returns additions, changes and deletions", async () => {
    const first = await ws.people.syncContacts(GRACE);
    const charles = first.contacts.find((c) => c.givenName === "Charles");
    const aunt = first.contacts.find((c) => c.givenName === "Aunt");
    const added = ws.sim.tenant.addContact(GRACE, {
      givenName: "New",
      phones: [{ value: "+1 555 0100", type: "mobile" }],
      labels: ["3CX"],
    });
    ws.sim.tenant.updateContact(GRACE, charles?.resourceName ?? "", { jobTitle: "Mathematician" });
    ws.sim.tenant.deleteContact(GRACE, aunt?.resourceName ?? "");

    const delta = await ws.people.syncContacts(GRACE, { syncToken: first.nextSyncToken });
    expect(delta.full).toBe(false);
    const byName = new Map(delta.contacts.map((c) => [c.resourceName, c]));
    expect(byName.size).toBe(3);
    expect(byName.get(added.resourceName)?.givenName).toBe("New");
    expect(byName.get(charles?.resourceName ?? "")?.jobTitle).toBe("Mathematician");
    expect(byName.get(aunt?.resourceName ?? "")).toMatchObject({ deleted: true, phones: [] });
  });

  it("an expired sync token (EXPIRED_SYNC_TOKEN) turns into a full sync", async () => {
    const first = await ws.people.syncContacts(GRACE);
    ws.sim.tenant.expirePeopleSyncTokens(GRACE);
    const result = await ws.people.syncContacts(GRACE, { syncToken: first.nextSyncToken });
    expect(result).toMatchObject({ full: true, tokenExpired: true });
    expect(result.contacts).toHaveLength(2);
    const statuses = ws.sim.requests
      .filter((r) => r.operation === "people.connections.list")
      .map((r) => r.status);
    expect(statuses).toEqual([200, 400, 200]);
  });

  it("sync tokens expire seven days after the full sync", async () => {
    const first = await ws.people.syncContacts(GRACE);
    ws.sim.tenant.clock.advance(6 * 86_400_000);
    const fresh = await ws.people.syncContacts(GRACE, { syncToken: first.nextSyncToken });
    expect(fresh.full).toBe(false);
    ws.sim.tenant.clock.advance(2 * 86_400_000);
    // A new delegated token is needed too after the jump; the adapter's clock follows the simulator's.
    const expired = await ws.people.syncContacts(GRACE, { syncToken: fresh.nextSyncToken });
    expect(expired.tokenExpired).toBe(true);
  });
});
