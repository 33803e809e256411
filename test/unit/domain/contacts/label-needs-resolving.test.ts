import { describe, expect, it } from "vitest";
import { labelNeedsResolving } from "../../../../shared/domain/contacts/label-needs-resolving.js";
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

describe("labelNeedsResolving", () => {
  it("an empty read or edits of labelled contacts keep the stored label", () => {
    expect(labelNeedsResolving([], LABEL)).toBe(false);
    expect(labelNeedsResolving([contact(1), contact(2, { givenName: "Edited" })], LABEL)).toBe(false);
  });

  it("deleted contacts (which carry no labels) keep the stored label", () => {
    expect(labelNeedsResolving([contact(1, { deleted: true, labelResourceNames: [] })], LABEL)).toBe(false);
  });

  it("a live contact without the stored label asks for a lookup (label removed, deleted or made again)", () => {
    expect(labelNeedsResolving([contact(1), contact(2, { labelResourceNames: [] })], LABEL)).toBe(true);
    expect(labelNeedsResolving([contact(3, { labelResourceNames: ["contactGroups/new"] })], LABEL)).toBe(
      true,
    );
  });
});
