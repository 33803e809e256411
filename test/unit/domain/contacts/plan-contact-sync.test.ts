import { describe, expect, it } from "vitest";
import type {
  ContactLink,
  DesiredContact,
  PbxPersonalContact,
} from "../../../../shared/domain/contacts/contact-sync-plan.js";
import {
  type ContactSyncInput,
  planContactSync,
} from "../../../../shared/domain/contacts/plan-contact-sync.js";

const want = (n: number, hash = `h${n}`): DesiredContact => ({
  resourceName: `people/c${n}`,
  fields: { FirstName: `Name${n}`, PhoneNumber: `+4915100000${n}` },
  hash,
});
const link = (n: number, contactId: number, hash = `h${n}`): ContactLink => ({
  resourceName: `people/c${n}`,
  contactId,
  hash,
});
const pbx = (id: number, contactType: string | null = "Google", fields = {}): PbxPersonalContact => ({
  id,
  contactType,
  fields,
});

function plan(input: Partial<ContactSyncInput>) {
  return planContactSync({ desired: [], removed: [], full: true, links: [], pbxContacts: [], ...input });
}

describe("planContactSync", () => {
  const cases: Array<{ name: string; input: Partial<ContactSyncInput>; expect: Record<string, unknown> }> = [
    {
      name: "first sync creates",
      input: { desired: [want(1), want(2)] },
      expect: { creates: 2, unchanged: 0 },
    },
    {
      name: "same hash: no call",
      input: { desired: [want(1)], links: [link(1, 10)], pbxContacts: [pbx(10)] },
      expect: { creates: 0, updates: 0, unchanged: 1 },
    },
    {
      name: "changed hash: update",
      input: { desired: [want(1, "new")], links: [link(1, 10)], pbxContacts: [pbx(10)] },
      expect: { updates: 1, unchanged: 0 },
    },
    {
      name: "full read without the contact: delete",
      input: { desired: [], links: [link(1, 10)], pbxContacts: [pbx(10)] },
      expect: { deletes: 1 },
    },
    {
      name: "incremental read without the contact: kept",
      input: { full: false, desired: [], links: [link(1, 10)], pbxContacts: [pbx(10)] },
      expect: { deletes: 0, unchanged: 1 },
    },
    {
      name: "incremental removal: delete",
      input: { full: false, removed: ["people/c1"], links: [link(1, 10)], pbxContacts: [pbx(10)] },
      expect: { deletes: 1 },
    },
    {
      name: "label gone: every linked contact goes, hand-typed ones stay",
      input: {
        labelGone: true,
        links: [link(1, 10), link(2, 11)],
        pbxContacts: [pbx(10), pbx(11), pbx(12, "3CX")],
      },
      expect: { deletes: 2, creates: 0 },
    },
    {
      name: "linked contact deleted in 3CX, read now: recreated",
      input: { desired: [want(1)], links: [link(1, 10)], pbxContacts: [] },
      expect: { creates: 1, missingLinked: 0 },
    },
    {
      name: "linked contact deleted in 3CX, not read now (incremental): needs a full read",
      input: { full: false, links: [link(1, 10)], pbxContacts: [] },
      expect: { creates: 0, missingLinked: 1 },
    },
    {
      name: "link to a contact gone on both sides: forgotten",
      input: { desired: [], links: [link(1, 10)], pbxContacts: [] },
      expect: { deletes: 0, staleLinks: 1 },
    },
    {
      name: "an unlinked Google-typed contact with the same content is adopted, not duplicated",
      input: { desired: [want(1)], pbxContacts: [pbx(10, "Google", want(1).fields)] },
      expect: { creates: 0, adoptions: 1 },
    },
    {
      name: "a hand-typed contact with the same content is not adopted",
      input: { desired: [want(1)], pbxContacts: [pbx(10, "3CX", want(1).fields)] },
      expect: { creates: 1, adoptions: 0 },
    },
    {
      name: "limit: creates stop at PersonalContactsMaxCount (hand-typed ones count)",
      input: { desired: [want(1), want(2), want(3)], pbxContacts: [pbx(50, "3CX")], maxCount: 3 },
      expect: { creates: 2, overLimit: 1 },
    },
    {
      name: "limit: deletes make room first",
      input: {
        desired: [want(2), want(3)],
        links: [link(1, 10)],
        pbxContacts: [pbx(10), pbx(50, "3CX")],
        maxCount: 3,
      },
      expect: { deletes: 1, creates: 2, overLimit: 0 },
    },
    {
      name: "limit 0 means none stated",
      input: { desired: [want(1), want(2)], maxCount: 0 },
      expect: { creates: 2, overLimit: 0 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = plan(c.input);
      const counts: Record<string, unknown> = {};
      for (const key of Object.keys(c.expect)) {
        const value = result[key as keyof typeof result];
        counts[key] = Array.isArray(value) ? value.length : value;
      }
      expect(counts).toEqual(c.expect);
    });
  }

  it("an update sets every owned field, clearing those Google no longer has", () => {
    const result = plan({ desired: [want(1, "new")], links: [link(1, 10)], pbxContacts: [pbx(10)] });
    expect(result.updates[0]?.changes).toMatchObject({
      FirstName: "Name1",
      PhoneNumber: want(1).fields.PhoneNumber,
      Email: null,
      Home: null,
    });
  });

  it("never deletes or changes a contact it did not link", () => {
    const result = plan({ desired: [], links: [], pbxContacts: [pbx(10), pbx(11, "3CX")] });
    expect(result.deletes).toEqual([]);
    expect(result.updates).toEqual([]);
  });
});
