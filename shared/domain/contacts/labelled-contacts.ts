import { canonicalContactFields, type PbxContactFields } from "./contact-fields.js";
import type { DesiredContact } from "./contact-sync-plan.js";
import { type ContactOverflow, mapContact, type UnfitReason } from "./map-contact.js";
import type { PersonalContact } from "./personal-contact.js";

export interface ContactOverflowReport {
  resourceName: string;
  /** Who it is, for the report: the name as Google shows it. */
  name: string;
  overflow: ContactOverflow[];
}

export interface UnfitContact {
  resourceName: string;
  name: string;
  reason: UnfitReason;
}

export interface LabelledContacts {
  desired: DesiredContact[];
  /** Read now but not to be in 3CX: deleted, unlabelled, or unfit (no name or no number). */
  removed: string[];
  overflow: ContactOverflowReport[];
  unfit: UnfitContact[];
}

/**
 * Sorts a People read into what 3CX should hold: labelled, not deleted contacts mapped to 3CX
 * fields with their hash; the rest (deleted, label removed, unfit for 3CX) as removed.
 * `hash` digests the canonical text (the domain does no hashing itself).
 */
export function labelledContacts(
  contacts: readonly PersonalContact[],
  labelResourceName: string,
  hash: (canonical: string) => string,
  phoneRegion?: string,
): LabelledContacts {
  const out: LabelledContacts = { desired: [], removed: [], overflow: [], unfit: [] };
  for (const contact of contacts) {
    if (contact.deleted || !contact.labelResourceNames.includes(labelResourceName)) {
      out.removed.push(contact.resourceName);
      continue;
    }
    const name = displayNameOf(contact);
    const mapped = mapContact(contact, phoneRegion);
    if (mapped.overflow.length > 0)
      out.overflow.push({ resourceName: contact.resourceName, name, overflow: mapped.overflow });
    if (!mapped.fit) {
      out.unfit.push({ resourceName: contact.resourceName, name, reason: mapped.reason });
      out.removed.push(contact.resourceName);
      continue;
    }
    out.desired.push({
      resourceName: contact.resourceName,
      fields: mapped.fields,
      hash: hashOf(mapped.fields, hash),
    });
  }
  return out;
}

export function hashOf(fields: PbxContactFields, hash: (canonical: string) => string): string {
  return hash(canonicalContactFields(fields));
}

function displayNameOf(contact: PersonalContact): string {
  return (
    contact.displayName ??
    ([contact.givenName, contact.familyName].filter(Boolean).join(" ") ||
      contact.company ||
      contact.resourceName)
  );
}
