import { afterEach, describe, expect, it } from "vitest";
import { type ContactsWorld, labelled, person, resultOf, startContactsWorld } from "./contacts-world.js";

// Every tenant has admin@example.com too (synced, no label).

let world: ContactsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const names = (book: Record<string, unknown>[]) => book.map((c) => `${c.FirstName} ${c.LastName}`).sort();

/** People requests per user (quotaUser is the user each call runs as), from the Workspace simulator. */
function peopleCalls(w: ContactsWorld): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  for (const request of w.sims.google.requests) {
    if (!request.operation.startsWith("people.")) continue;
    const user = request.quotaUser ?? "?";
    calls.set(user, [...(calls.get(user) ?? []), request.operation]);
  }
  return calls;
}

describe("People calls per user and run", () => {
  it("an unchanged nightly run costs one People call per user and writes nothing to 3CX", async () => {
    world = await startContactsWorld([
      person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] }),
      person("Bob", { contacts: [labelled("Ken")] }),
      person("Cy"),
    ]);
    const first = await world.contacts();
    expect(first.run.users).toEqual({ done: 2, failed: 0, noLabel: 2 });
    // First sync: the label is looked up by name, then the contacts read in full.
    expect(peopleCalls(world).get("ada@example.com")).toEqual([
      "people.contactGroups.list",
      "people.connections.list",
    ]);

    for (let night = 0; night < 2; night++) {
      world.sims.google.resetRequests();
      const writes = world.contactWrites();
      const pbxReads = world.sims.threecx.stats.requests.GetContactsByNumber ?? 0;
      const run = await world.contacts({ trigger: "daily" });
      expect(run.run.status).toBe("applied");
      expect(run.run.users).toEqual({ done: 2, failed: 0, noLabel: 2 });
      const calls = peopleCalls(world);
      // Labelled users: the incremental read only; users without the label: the lookup only.
      expect(calls.get("ada@example.com")).toEqual(["people.connections.list"]);
      expect(calls.get("bob@example.com")).toEqual(["people.connections.list"]);
      expect(calls.get("cy@example.com")).toEqual(["people.contactGroups.list"]);
      expect([...calls.values()].every((c) => c.length === 1)).toBe(true);
      expect(calls.size).toBe(4);
      expect(world.contactWrites()).toBe(writes);
      expect(world.sims.threecx.stats.requests.GetContactsByNumber ?? 0).toBe(pbxReads);
    }
  });

  it("an edit of a labelled contact needs no label lookup", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] })]);
    await world.contacts();
    const tenant = world.sims.google.tenant;
    const [grace] = [...tenant.contacts.of(world.googleUserId("ada@example.com")).contacts.values()];
    tenant.updateContact("ada@example.com", grace?.resourceName as string, { familyName: "Hopper" });
    world.sims.google.resetRequests();
    const run = await world.contacts();
    expect(run.run.contacts).toMatchObject({ updated: 1, created: 0, deleted: 0 });
    expect(peopleCalls(world).get("ada@example.com")).toEqual(["people.connections.list"]);
    expect(names(world.phonebook("ada@example.com"))).toEqual(["Grace Hopper", "Linus Contact"]);
  });

  it("a label removed from one contact is looked up once, found unchanged, and the contact removed", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] })]);
    await world.contacts();
    const tenant = world.sims.google.tenant;
    const [grace] = [...tenant.contacts.of(world.googleUserId("ada@example.com")).contacts.values()];
    tenant.updateContact("ada@example.com", grace?.resourceName as string, { labels: [] });
    world.sims.google.resetRequests();
    const run = await world.contacts();
    expect(run.run.contacts).toMatchObject({ deleted: 1, unchanged: 1 });
    expect(resultOf(run, "ada@example.com")?.fullRead).toBe(false);
    expect(peopleCalls(world).get("ada@example.com")).toEqual([
      "people.connections.list",
      "people.contactGroups.list",
    ]);
    expect(names(world.phonebook("ada@example.com"))).toEqual(["Linus Contact"]);
  });

  it("a label deleted and made again under the same name: a full read under the new label", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] })]);
    await world.contacts();
    const tenant = world.sims.google.tenant;
    tenant.deleteContactLabel("ada@example.com", "3CX");
    tenant.addContact("ada@example.com", labelled("Barbara"));
    const run = await world.contacts();
    expect(resultOf(run, "ada@example.com")?.fullRead).toBe(true);
    expect(run.run.contacts).toMatchObject({ created: 1, deleted: 2 });
    expect(names(world.phonebook("ada@example.com"))).toEqual(["Barbara Contact"]);
    const again = await world.contacts();
    expect(again.run.contacts).toMatchObject({ created: 0, deleted: 0, unchanged: 1 });
  });

  it("a renamed label shows no change until the next lookup; the full read after the token expires removes its contacts", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] })]);
    await world.contacts();
    const tenant = world.sims.google.tenant;
    tenant.renameContactLabel("ada@example.com", "3CX", "Family");
    // connections.list names labels by id only and a rename changes no contact: nothing to see yet.
    const quiet = await world.contacts();
    expect(quiet.run.contacts).toMatchObject({ deleted: 0, unchanged: 2 });
    expect(names(world.phonebook("ada@example.com"))).toEqual(["Grace Contact", "Linus Contact"]);

    tenant.expirePeopleSyncTokens("ada@example.com");
    const run = await world.contacts();
    expect(run.run.contacts.deleted).toBe(2);
    expect(run.run.notes).toContainEqual(
      expect.objectContaining({ email: "ada@example.com", code: "CONTACT_LABEL_GONE" }),
    );
    expect(world.phonebook("ada@example.com")).toEqual([]);
    // From then on the user is one without the label: a lookup a night, no note of a deletion.
    world.sims.google.resetRequests();
    const after = await world.contacts();
    expect(resultOf(after, "ada@example.com")?.status).toBe("noLabel");
    expect(peopleCalls(world).get("ada@example.com")).toEqual(["people.contactGroups.list"]);
  });

  it("a renamed label is seen as soon as a contact outside it changes", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace")] })]);
    await world.contacts();
    const tenant = world.sims.google.tenant;
    tenant.renameContactLabel("ada@example.com", "3CX", "Family");
    tenant.addContact("ada@example.com", { givenName: "Unlabelled", phones: [{ value: "+4915199999" }] });
    const run = await world.contacts();
    expect(run.run.notes).toContainEqual(expect.objectContaining({ code: "CONTACT_LABEL_GONE" }));
    expect(world.phonebook("ada@example.com")).toEqual([]);
  });
});
