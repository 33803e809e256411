import { afterEach, describe, expect, it } from "vitest";
import { type ContactsWorld, labelled, person, resultOf, startContactsWorld } from "./contacts-world.js";

// Every tenant has admin@example.com too (synced, no label): one more user with a "no label" note.

let world: ContactsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const names = (book: Record<string, unknown>[]) => book.map((c) => `${c.FirstName} ${c.LastName}`).sort();

describe("personal contacts through the simulators", () => {
  it("first sync writes only labelled contacts, typed Google, with their phone slots; a second run writes nothing", async () => {
    world = await startContactsWorld([
      person("Ada", {
        contacts: [
          labelled("Grace", {
            company: "Navy",
            emails: [{ value: "grace@example.org" }],
            phones: [
              { value: "+49 151 1111111", type: "mobile" },
              { value: "030 2222222", type: "work" },
              { value: "+49 30 3333333", type: "home" },
            ],
          }),
          labelled("Linus"),
          { givenName: "Unlabelled", phones: [{ value: "+4915199999", type: "mobile" }] },
        ],
      }),
      person("Bob"),
    ]);
    const first = await world.contacts();
    expect(first.run.status).toBe("applied");
    expect(first.run.users).toEqual({ done: 1, failed: 0, noLabel: 2 });
    expect(first.run.contacts.created).toBe(2);
    const book = world.phonebook("ada@example.com");
    expect(names(book)).toEqual(["Grace Contact", "Linus Contact"]);
    expect(book.find((c) => c.FirstName === "Grace")).toMatchObject({
      ContactType: "Google",
      CompanyName: "Navy",
      Email: "grace@example.org",
      PhoneNumber: "+491511111111",
      Business: "+49302222222",
      Home: "+49303333333",
    });
    expect(first.run.notes).toContainEqual(
      expect.objectContaining({ email: "bob@example.com", code: "NO_CONTACT_LABEL" }),
    );

    const writes = world.contactWrites();
    const reads = world.sims.google.count("people.connections.list");
    const pbxReads = world.sims.threecx.stats.requests.GetContactsByNumber ?? 0;
    const second = await world.contacts();
    expect(second.run.status).toBe("applied");
    expect(second.run.contacts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 2 });
    expect(world.contactWrites()).toBe(writes);
    // Unchanged: one incremental People read for the one labelled user, and 3CX not even read.
    expect(world.sims.google.count("people.connections.list")).toBe(reads + 1);
    expect(world.sims.threecx.stats.requests.GetContactsByNumber ?? 0).toBe(pbxReads);
  });

  it("an edit updates, a delete and a removed label remove; a hand-typed 3CX contact is never touched", async () => {
    world = await startContactsWorld([
      person("Ada", { contacts: [labelled("Grace"), labelled("Linus"), labelled("Ken")] }),
    ]);
    await world.contacts();
    const number = world.pbxUserByEmail("ada@example.com")?.Number as string;
    const typed = world.sims.threecx.state.createContact(number, {
      FirstName: "Typed",
      PhoneNumber: "+4930555",
    });
    const tenant = world.sims.google.tenant;
    const [grace, linus, ken] = [
      ...tenant.contacts.of(world.googleUserId("ada@example.com")).contacts.values(),
    ];
    tenant.updateContact("ada@example.com", grace?.resourceName as string, { familyName: "Hopper" });
    tenant.deleteContact("ada@example.com", linus?.resourceName as string);
    tenant.updateContact("ada@example.com", ken?.resourceName as string, { labels: [] });

    const run = await world.contacts();
    expect(run.run.contacts).toMatchObject({ updated: 1, deleted: 2, created: 0 });
    expect(resultOf(run, "ada@example.com")?.fullRead).toBe(false);
    expect(names(world.phonebook("ada@example.com"))).toEqual(["Grace Hopper", "Typed undefined"]);
    expect(world.sims.threecx.state.contactById(typed.Id as number)).toEqual(typed);
  });

  it("a deleted label removes every contact gw3cx wrote under it", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] })]);
    await world.contacts();
    world.sims.google.tenant.deleteContactLabel("ada@example.com", "3CX");
    const run = await world.contacts();
    expect(run.run.contacts.deleted).toBe(2);
    expect(run.run.notes).toContainEqual(expect.objectContaining({ code: "CONTACT_LABEL_GONE" }));
    expect(world.phonebook("ada@example.com")).toEqual([]);
  });

  it("an expired sync token makes a full read that converges without duplicates", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] })]);
    await world.contacts();
    const tenant = world.sims.google.tenant;
    tenant.addContact("ada@example.com", labelled("Barbara"));
    tenant.expirePeopleSyncTokens("ada@example.com");
    const run = await world.contacts();
    expect(resultOf(run, "ada@example.com")?.fullRead).toBe(true);
    expect(run.run.contacts).toMatchObject({ created: 1, unchanged: 2 });
    expect(names(world.phonebook("ada@example.com"))).toEqual([
      "Barbara Contact",
      "Grace Contact",
      "Linus Contact",
    ]);
  });

  it("a contact deleted by hand in 3CX comes back (Google is the truth)", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] })]);
    await world.contacts();
    const grace = world.phonebook("ada@example.com").find((c) => c.FirstName === "Grace");
    world.sims.threecx.state.deleteContacts([grace?.Id as number]);
    world.sims.google.tenant.addContact("ada@example.com", labelled("Ken"));
    const run = await world.contacts();
    expect(run.run.status).toBe("applied");
    expect(names(world.phonebook("ada@example.com"))).toEqual([
      "Grace Contact",
      "Ken Contact",
      "Linus Contact",
    ]);
  });

  it("overflow (third mobile, photo, extra email, over-long value) is counted and reported, the rest written", async () => {
    world = await startContactsWorld([
      person("Ada", {
        contacts: [
          labelled("Grace", {
            company: "C".repeat(60),
            photoUrl: "https://example.com/grace.jpg",
            emails: [{ value: "a@example.org" }, { value: "b@example.org" }],
            phones: [
              { value: "+4915111111", type: "mobile" },
              { value: "+4915122222", type: "mobile" },
              { value: "+4915133333", type: "mobile" },
            ],
          }),
        ],
      }),
    ]);
    const run = await world.contacts();
    expect(run.run.contacts).toMatchObject({ created: 1, overflow: 4 });
    expect(run.run.notes).toContainEqual(expect.objectContaining({ code: "CONTACT_VALUES_NOT_WRITTEN" }));
    const [grace] = world.phonebook("ada@example.com");
    expect(grace).toMatchObject({
      PhoneNumber: "+4915111111",
      Mobile2: "+4915122222",
      Email: "a@example.org",
    });
    expect(grace?.CompanyName ?? null).toBeNull();
  });

  it("stops at PersonalContactsMaxCount and reports it", async () => {
    world = await startContactsWorld(
      [
        person("Ada", {
          contacts: [labelled("Grace"), labelled("Linus"), labelled("Ken"), labelled("Barbara")],
        }),
      ],
      { threecx: { personalContactsMaxCount: 3 } },
    );
    const run = await world.contacts();
    expect(run.run.contacts).toMatchObject({ created: 3, overLimit: 1 });
    expect(run.run.notes).toContainEqual(
      expect.objectContaining({ code: "PERSONAL_CONTACTS_LIMIT_REACHED" }),
    );
    expect(world.phonebook("ada@example.com")).toHaveLength(3);
  });

  it("a PBX older than 20.0.9 is reported once; nothing is asked per user", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace")] })], {
      threecx: { version: "20.0.8.100" },
    });
    const run = await world.contacts();
    expect(run.run.status).toBe("unsupported");
    expect(run.run.error?.code).toBe("PBX_TOO_OLD_FOR_CONTACTS");
    expect(run.run.error?.message).toContain("20.0.8.100");
    expect(world.sims.threecx.stats.requests.GetContactsByNumber ?? 0).toBe(0);
  });

  it("a delegation without the contacts scope is reported per user; user sync is unaffected", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace")] }), person("Bob")]);
    world.sims.google.tenant.auth.revoke("104729000000000000001", [
      "https://www.googleapis.com/auth/contacts.readonly",
    ]);
    const run = await world.contacts();
    expect(run.run.status).toBe("failed");
    expect(run.run.users.failed).toBe(3);
    expect(run.run.failures[0]).toMatchObject({ code: "CONTACTS_SCOPE_NOT_GRANTED" });
    expect(run.run.failures[0]?.message).toContain("contacts.readonly");
    expect((await world.sync()).run.status).toBe("applied");
  });

  it("one user's failure leaves the others synced", async () => {
    world = await startContactsWorld([
      person("Ada", { contacts: [labelled("Grace")] }),
      person("Bob", { contacts: [labelled("Linus")] }),
    ]);
    // Suspended in Workspace since the last user sync: Google refuses to act as Bob; Ada goes on.
    world.sims.google.tenant.directory.updateUser("bob@example.com", { suspended: true });
    const run = await world.contacts();
    expect(run.run.users).toEqual({ done: 1, failed: 1, noLabel: 1 });
    expect(run.run.failures).toEqual([expect.objectContaining({ email: "bob@example.com" })]);
    expect(names(world.phonebook("ada@example.com"))).toEqual(["Grace Contact"]);
  });

  it("a disabled user's phonebook is left as it is", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace")] })]);
    await world.contacts();
    world.sims.google.tenant.directory.updateUser("ada@example.com", { suspended: true });
    await world.sync();
    world.sims.google.tenant.deleteContact(
      "ada@example.com",
      [
        ...world.sims.google.tenant.contacts.of(world.googleUserId("ada@example.com")).contacts.keys(),
      ][0] as string,
    );
    const run = await world.contacts();
    expect(run.run.usersExpected).toBe(1);
    expect(resultOf(run, "ada@example.com")).toBeUndefined();
    expect(world.phonebook("ada@example.com")).toHaveLength(1);
  });

  it("10% faults on 3CX (lost answers, 503s) converge with no duplicates", async () => {
    const contacts = Array.from({ length: 30 }, (_, i) =>
      labelled(`Name${i}`, { phones: [{ value: `+49151000${1000 + i}`, type: "mobile" }] }),
    );
    world = await startContactsWorld([person("Ada", { contacts })]);
    world.sims.threecx.faults.add({ operation: "CreateContactByNumber", fault: "lostResponse", rate: 0.1 });
    world.sims.threecx.faults.add({ operation: "UpdateContact", fault: "status503", rate: 0.1 });
    world.sims.threecx.faults.add({ operation: "GetContactsByNumber", fault: "status503", rate: 0.1 });
    await world.contacts();
    world.sims.google.tenant.updateContact(
      "ada@example.com",
      [
        ...world.sims.google.tenant.contacts.of(world.googleUserId("ada@example.com")).contacts.keys(),
      ][0] as string,
      { familyName: "Changed" },
    );
    const second = await world.contacts();
    world.sims.threecx.faults.clear();
    const third = await world.contacts();
    expect(third.run.status).toBe("applied");
    expect(second.run.users.failed + third.run.users.failed).toBe(0);
    const book = world.phonebook("ada@example.com");
    expect(book).toHaveLength(30);
    expect(new Set(book.map((c) => c.FirstName)).size).toBe(30);
    expect(book.filter((c) => c.LastName === "Changed")).toHaveLength(1);
  });

  it("a plan writes nothing", async () => {
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace")] })]);
    const plan = await world.contacts({ dryRun: true });
    expect(plan.run.status).toBe("planned");
    expect(plan.run.contacts.created).toBe(1);
    expect(world.phonebook("ada@example.com")).toEqual([]);
  });
});
