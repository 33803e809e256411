/**
 * The 3CX personal-contact fields gw3cx writes (Pbx.Contact property names), and how long a value
 * each may be. Pbx.Contact has no photo field.
 */
export const CONTACT_TEXT_FIELDS = [
  "FirstName",
  "LastName",
  "CompanyName",
  "Title",
  "Department",
  "Email",
] as const;

/** The phone slots of a 3CX contact; PhoneNumber is the (first) mobile. */
export const CONTACT_PHONE_SLOTS = [
  "PhoneNumber",
  "Mobile2",
  "Home",
  "Business",
  "Business2",
  "BusinessFax",
  "Pager",
  "Other",
] as const;

export type ContactTextField = (typeof CONTACT_TEXT_FIELDS)[number];
export type ContactPhoneSlot = (typeof CONTACT_PHONE_SLOTS)[number];
export type ContactFieldName = ContactTextField | ContactPhoneSlot;

/** Every field gw3cx owns on a contact it created; an absent key means empty. */
export type PbxContactFields = Partial<Record<ContactFieldName, string>>;

export const CONTACT_FIELD_NAMES: readonly ContactFieldName[] = [
  ...CONTACT_TEXT_FIELDS,
  ...CONTACT_PHONE_SLOTS,
];

/**
 * Longest value the PBX takes per field. The spec gives no maxLength for Pbx.Contact; its warnings
 * name 50 and 255 character checks, and these are the limits the 3CX console enforces on the same
 * kinds of fields of a user (names and numbers 50, email 255). An assumption, unverified against a
 * PBX; counted in UTF-16 units as the PBX (.NET) counts.
 */
export const CONTACT_FIELD_LIMITS: Readonly<Record<ContactFieldName, number>> = {
  FirstName: 50,
  LastName: 50,
  CompanyName: 50,
  Title: 50,
  Department: 50,
  Email: 255,
  PhoneNumber: 50,
  Mobile2: 50,
  Home: 50,
  Business: 50,
  Business2: 50,
  BusinessFax: 50,
  Pager: 50,
  Other: 50,
};

/**
 * The fields in one fixed order with empty ones left out: equal contents give equal text, so it is
 * what the content hash is taken of and what two contacts are compared by.
 */
export function canonicalContactFields(fields: PbxContactFields): string {
  return JSON.stringify(
    CONTACT_FIELD_NAMES.filter((name) => (fields[name] ?? "") !== "").map((name) => [name, fields[name]]),
  );
}

export function sameContactFields(a: PbxContactFields, b: PbxContactFields): boolean {
  return canonicalContactFields(a) === canonicalContactFields(b);
}
