import { describe, expect, it } from "vitest";
import { mapContact } from "../../../../shared/domain/contacts/map-contact.js";
import type { PersonalContact } from "../../../../shared/domain/contacts/personal-contact.js";

function contact(overrides: Partial<PersonalContact>): PersonalContact {
  return {
    resourceName: "people/c1",
    deleted: false,
    givenName: "Ada",
    familyName: "Lovelace",
    phones: [{ value: "+44 20 7946 0001", type: "mobile" }],
    emails: [],
    labelResourceNames: [],
    ...overrides,
  };
}

describe("mapContact: phone slots", () => {
  const cases: Array<{
    name: string;
    phones: PersonalContact["phones"];
    slots: Record<string, string>;
    extra: number;
  }> = [
    {
      name: "mobile",
      phones: [{ value: "+4915112345678", type: "mobile" }],
      slots: { PhoneNumber: "+4915112345678" },
      extra: 0,
    },
    {
      name: "two mobiles",
      phones: [
        { value: "+4915112345678", type: "mobile" },
        { value: "+4915112345679", type: "workMobile" },
      ],
      slots: { PhoneNumber: "+4915112345678", Mobile2: "+4915112345679" },
      extra: 0,
    },
    {
      name: "third mobile overflows",
      phones: [
        { value: "+4915112345671", type: "mobile" },
        { value: "+4915112345672", type: "mobile" },
        { value: "+4915112345673", type: "mobile" },
      ],
      slots: { PhoneNumber: "+4915112345671", Mobile2: "+4915112345672" },
      extra: 1,
    },
    {
      name: "home",
      phones: [{ value: "+4930123456", type: "home" }],
      slots: { Home: "+4930123456" },
      extra: 0,
    },
    {
      name: "work then main",
      phones: [
        { value: "+4930123456", type: "work" },
        { value: "+4930123457", type: "main" },
      ],
      slots: { Business: "+4930123456", Business2: "+4930123457" },
      extra: 0,
    },
    {
      name: "workFax",
      phones: [{ value: "+4930123458", type: "workFax" }],
      slots: { BusinessFax: "+4930123458" },
      extra: 0,
    },
    {
      name: "pager",
      phones: [{ value: "+4930123459", type: "pager" }],
      slots: { Pager: "+4930123459" },
      extra: 0,
    },
    {
      name: "custom type",
      phones: [{ value: "+4930123450", type: "Boat" }],
      slots: { Other: "+4930123450" },
      extra: 0,
    },
    {
      name: "homeFax and other share Other: the second overflows",
      phones: [
        { value: "+4930123450", type: "homeFax" },
        { value: "+4930123451", type: "other" },
      ],
      slots: { Other: "+4930123450" },
      extra: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const mapped = mapContact(contact({ phones: c.phones }));
      expect(mapped.fit).toBe(true);
      if (!mapped.fit) return;
      const phones = Object.fromEntries(
        Object.entries(mapped.fields).filter(([k]) => !["FirstName", "LastName"].includes(k)),
      );
      expect(phones).toEqual(c.slots);
      expect(mapped.overflow.filter((o) => o.kind === "EXTRA_PHONE")).toHaveLength(c.extra);
    });
  }

  it("normalises numbers as user sync does, with the phone region for national numbers", () => {
    const mapped = mapContact(contact({ phones: [{ value: "030 1234567", type: "work" }] }), "DE");
    expect(mapped.fit && mapped.fields.Business).toBe("+49301234567");
  });

  it("keeps a number that does not parse as typed", () => {
    const mapped = mapContact(contact({ phones: [{ value: "ext. 12", type: "work" }] }));
    expect(mapped.fit && mapped.fields.Business).toBe("ext. 12");
  });
});

describe("mapContact: other fields and overflow", () => {
  it("maps names, company, title, department and the first email; more emails and a photo are reported", () => {
    const mapped = mapContact(
      contact({
        company: "Analytical Engines",
        jobTitle: "Programmer",
        department: "R&D",
        emails: [{ value: "ada@example.com" }, { value: "ada@home.example" }],
        photoUrl: "https://example.com/p.jpg",
      }),
    );
    expect(mapped).toEqual({
      fit: true,
      fields: {
        FirstName: "Ada",
        LastName: "Lovelace",
        CompanyName: "Analytical Engines",
        Title: "Programmer",
        Department: "R&D",
        Email: "ada@example.com",
        PhoneNumber: "+442079460001",
      },
      overflow: [{ kind: "EXTRA_EMAIL" }, { kind: "PHOTO" }],
    });
  });

  it("leaves out a value over the PBX limit and reports it with its length", () => {
    const long = "x".repeat(51);
    const mapped = mapContact(contact({ company: long }));
    expect(mapped.fit && mapped.fields.CompanyName).toBeUndefined();
    expect(mapped.overflow).toEqual([{ kind: "TOO_LONG", field: "CompanyName", length: 51, limit: 50 }]);
  });

  it("counts length in UTF-16 units, as the PBX does", () => {
    const mapped = mapContact(contact({ givenName: "😀".repeat(26) }));
    expect(mapped.overflow).toEqual([{ kind: "TOO_LONG", field: "FirstName", length: 52, limit: 50 }]);
  });

  it("uses the display name when there is no given or family name", () => {
    const mapped = mapContact(
      contact({ givenName: undefined, familyName: undefined, displayName: "Dr. Who" }),
    );
    expect(mapped.fit && mapped.fields.FirstName).toBe("Dr. Who");
  });

  it.each([
    ["NO_NAME", { givenName: undefined, familyName: undefined }],
    ["NO_PHONE_NUMBER", { phones: [] }],
  ] as const)("is unfit for 3CX: %s", (reason, overrides) => {
    expect(mapContact(contact(overrides))).toMatchObject({ fit: false, reason });
  });
});
