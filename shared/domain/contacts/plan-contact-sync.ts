import { CONTACT_FIELD_NAMES, type PbxContactFields, sameContactFields } from "./contact-fields.js";
import type {
  ContactLink,
  ContactSyncPlan,
  DesiredContact,
  PbxPersonalContact,
  PlannedContactUpdate,
} from "./contact-sync-plan.js";

/** gw3cx writes its contacts with this Pbx.ContactSource; only such contacts it linked are ever changed. */
export const GW3CX_CONTACT_TYPE = "Google";

export interface ContactSyncInput {
  /** Labelled contacts read now: all of them (full) or the changed ones (incremental). */
  desired: readonly DesiredContact[];
  /** Contacts read now that must not be in 3CX: deleted in Google, or their label removed (incremental). */
  removed: readonly string[];
  /** `desired` is the whole labelled set: any link not in it goes. */
  full: boolean;
  /** The user's label is gone (deleted or renamed): every linked contact goes. */
  labelGone?: boolean;
  links: readonly ContactLink[];
  /** The extension's personal contacts as 3CX lists them now, whoever made them. */
  pbxContacts: readonly PbxPersonalContact[];
  /** PBX limit of personal contacts per extension (PersonalContactsMaxCount); absent or 0: none stated. */
  maxCount?: number | null;
}

/**
 * One user's contact sync: creates, updates (by content hash), deletes, adoptions. Contacts another
 * source made (typed by hand in 3CX, a CRM, ...) and Google-typed contacts gw3cx never linked are
 * never changed or deleted. Creates stop at the PBX's per-extension maximum.
 */
export function planContactSync(input: ContactSyncInput): ContactSyncPlan {
  const plan: ContactSyncPlan = {
    creates: [],
    updates: [],
    deletes: [],
    adoptions: [],
    unchanged: 0,
    overLimit: [],
    missingLinked: [],
    staleLinks: [],
  };
  const inPbx = new Map(input.pbxContacts.map((c) => [c.id, c]));
  const linkByResource = new Map(input.links.map((l) => [l.resourceName, l]));
  const linkedIds = new Set(input.links.map((l) => l.contactId));
  const desiredByResource = new Map(input.desired.map((d) => [d.resourceName, d]));
  const removed = new Set(input.removed);

  // Links first: what Google no longer wants goes; what it wants is kept, updated or recreated.
  for (const link of input.links) {
    const exists = inPbx.has(link.contactId);
    const wanted = desiredByResource.get(link.resourceName);
    const goes =
      input.labelGone === true || removed.has(link.resourceName) || (input.full && wanted === undefined);
    if (goes) {
      if (exists)
        plan.deletes.push({
          resourceName: link.resourceName,
          contactId: link.contactId,
          reason: input.labelGone ? "LABEL_GONE" : "DELETED_OR_UNLABELLED",
        });
      else plan.staleLinks.push(link.resourceName);
      continue;
    }
    if (!exists) {
      // Deleted in 3CX by hand; Google is the truth, so it comes back, from fields read now if any.
      if (wanted) plan.creates.push(wanted);
      else plan.missingLinked.push(link.resourceName);
      continue;
    }
    if (!wanted || wanted.hash === link.hash) {
      plan.unchanged++;
      continue;
    }
    plan.updates.push(updateOf(wanted, link.contactId));
  }
  if (input.labelGone) return plan;

  // Orphans gw3cx may have made (Google-typed, linked to nothing): each adopted at most once.
  const orphans = input.pbxContacts.filter(
    (c) => c.contactType === GW3CX_CONTACT_TYPE && !linkedIds.has(c.id),
  );
  const newOnes: DesiredContact[] = [];
  for (const wanted of input.desired) {
    if (linkByResource.has(wanted.resourceName)) continue;
    const index = orphans.findIndex((o) => sameContactFields(o.fields, wanted.fields));
    if (index >= 0) {
      const [orphan] = orphans.splice(index, 1);
      plan.adoptions.push({ ...wanted, contactId: (orphan as PbxPersonalContact).id });
    } else newOnes.push(wanted);
  }
  plan.creates.push(...newOnes);

  const max = input.maxCount ?? 0;
  if (max > 0) {
    const after = input.pbxContacts.length - plan.deletes.length;
    const room = Math.max(0, max - after);
    plan.overLimit = plan.creates.splice(room);
  }
  return plan;
}

function updateOf(wanted: DesiredContact, contactId: number): PlannedContactUpdate {
  const changes: PlannedContactUpdate["changes"] = {};
  for (const name of CONTACT_FIELD_NAMES) changes[name] = (wanted.fields as PbxContactFields)[name] ?? null;
  return { ...wanted, contactId, changes };
}
