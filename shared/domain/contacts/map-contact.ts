import { normalizePhoneNumber } from "../user-sync/phone-number.js";
import {
  CONTACT_FIELD_LIMITS,
  type ContactFieldName,
  type ContactPhoneSlot,
  type PbxContactFields,
} from "./contact-fields.js";
import type { PersonalContact } from "./personal-contact.js";

/** Something of a Google contact that has no place in its 3CX contact: counted and reported, never dropped silently. */
export type ContactOverflow =
  /** More numbers of one kind than 3CX has slots for (a third mobile, a third work number, a second pager, ...). */
  | { kind: "EXTRA_PHONE"; phoneType: string; slots: readonly ContactPhoneSlot[] }
  /** A 3CX contact holds one email address. */
  | { kind: "EXTRA_EMAIL" }
  /** XAPI contacts have no photo field. */
  | { kind: "PHOTO" }
  /** A value longer than the PBX takes: left out, not cut short. */
  | { kind: "TOO_LONG"; field: ContactFieldName; length: number; limit: number };

/** Why a contact cannot be a 3CX contact at all (the PBX refuses such a contact). */
export type UnfitReason = "NO_NAME" | "NO_PHONE_NUMBER";

export type MappedContact =
  | { fit: true; fields: PbxContactFields; overflow: ContactOverflow[] }
  | { fit: false; reason: UnfitReason; overflow: ContactOverflow[] };

/**
 * Which slots each kind of Google number fills, in order (DESIGN.md "Personal contacts"): mobile ->
 * PhoneNumber then Mobile2, home -> Home, work/main -> Business then Business2, workFax ->
 * BusinessFax, pager -> Pager, anything else -> Other.
 */
const SLOTS_BY_KIND: Readonly<Record<string, readonly ContactPhoneSlot[]>> = {
  mobile: ["PhoneNumber", "Mobile2"],
  home: ["Home"],
  work: ["Business", "Business2"],
  fax: ["BusinessFax"],
  pager: ["Pager"],
  other: ["Other"],
};

function kindOf(type: string | undefined): keyof typeof SLOTS_BY_KIND {
  switch (type) {
    case "mobile":
    case "workMobile":
      return "mobile";
    case "home":
      return "home";
    case "work":
    case "main":
      return "work";
    case "workFax":
      return "fax";
    case "pager":
    case "workPager":
      return "pager";
    default:
      return "other";
  }
}

/**
 * The 3CX contact gw3cx writes for a Google contact: names, company, title, department, the first
 * email, and each number in its slot, numbers normalised as user sync does (E.164 when they parse).
 */
export function mapContact(contact: PersonalContact, phoneRegion?: string): MappedContact {
  const overflow: ContactOverflow[] = [];
  const fields: PbxContactFields = {};
  const put = (field: ContactFieldName, raw: string | undefined) => {
    const value = raw?.trim() ?? "";
    if (value === "") return;
    const limit = CONTACT_FIELD_LIMITS[field];
    if (value.length > limit) overflow.push({ kind: "TOO_LONG", field, length: value.length, limit });
    else fields[field] = value;
  };

  const hasGivenOrFamily = Boolean(contact.givenName?.trim() || contact.familyName?.trim());
  put("FirstName", hasGivenOrFamily ? contact.givenName : contact.displayName);
  put("LastName", contact.familyName);
  put("CompanyName", contact.company);
  put("Title", contact.jobTitle);
  put("Department", contact.department);

  const [email, ...moreEmails] = contact.emails.filter((e) => e.value.trim() !== "");
  put("Email", email?.value);
  for (const _ of moreEmails) overflow.push({ kind: "EXTRA_EMAIL" });

  const used = new Set<ContactPhoneSlot>();
  for (const phone of contact.phones) {
    const number = normalizePhoneNumber(phone.canonicalForm ?? phone.value, phoneRegion);
    if (number === "") continue;
    const slots = SLOTS_BY_KIND[kindOf(phone.type)] as readonly ContactPhoneSlot[];
    const slot = slots.find((s) => !used.has(s));
    if (!slot) {
      overflow.push({ kind: "EXTRA_PHONE", phoneType: phone.type ?? "other", slots });
      continue;
    }
    used.add(slot);
    put(slot, number);
  }
  if (contact.photoUrl) overflow.push({ kind: "PHOTO" });

  if (!fields.FirstName && !fields.LastName && !fields.CompanyName)
    return { fit: false, reason: "NO_NAME", overflow };
  if (![...used].some((slot) => fields[slot] !== undefined))
    return { fit: false, reason: "NO_PHONE_NUMBER", overflow };
  return { fit: true, fields, overflow };
}
