import { describe, expect, it } from "vitest";
import { labelledContacts } from "../../../../shared/domain/contacts/labelled-contacts.js";
import type { PersonalContact } from "../../../../shared/domain/contacts/personal-contact.js";

const LABEL = "contactGroups/abc";
const contact = (n: number, over: Partial<PersonalContact> = {}): PersonalContact => ({
  resourceName: `people/c${n}`,
  deleted: false,
  givenName: `Name${n}`,
  phones: [{ value: `+4915100000${n}`, type: "mobile" }],
  emails: [],
  labelResourceNames: [LABEL],
  ...over,
});
const identity = (canonical: string) => canonical;

describe("labelledContacts", () => {
  it("keeps labelled contacts; deleted, unlabelled and unfit ones are to be removed", () => {
    const sorted = labelledContacts(
      [
        contact(1),
        contact(2, { deleted: true }),
        contact(3, { labelResourceNames: ["contactGroups/other"] }),
        contact(4, { phones: [] }),
      ],
      LABEL,
      identity,
    );
    expect(sorted.desired.map((d) => d.resourceName)).toEqual(["people/c1"]);
    expect(sorted.removed).toEqual(["people/c2", "people/c3", "people/c4"]);
    expect(sorted.unfit).toEqual([{ resourceName: "people/c4", name: "Name4", reason: "NO_PHONE_NUMBER" }]);
  });

  it("the hash is of the mapped fields: a re-formatted number is no change", () => {
    const [a] = labelledContacts(
      [contact(1, { phones: [{ value: "+49 151 000001", type: "mobile" }] })],
      LABEL,
      identity,
    ).desired;
    const [b] = labelledContacts(
      [contact(1, { phones: [{ value: "+49151000001", type: "mobile" }] })],
      LABEL,
      identity,
    ).desired;
    expect(a?.hash).toBe(b?.hash);
    const [c] = labelledContacts([contact(1, { familyName: "Other" })], LABEL, identity).desired;
    expect(c?.hash).not.toBe(a?.hash);
  });
});
