import type { PbxContactFields } from "./contact-fields.js";

/** A labelled Google contact as it should be in 3CX. */
export interface DesiredContact {
  resourceName: string;
  fields: PbxContactFields;
  /** Content hash of `fields` (taken by the caller of the canonical form). */
  hash: string;
}

/** The stored link Google resourceName <-> the 3CX contact gw3cx created for it. */
export interface ContactLink {
  resourceName: string;
  contactId: number;
  /** Hash of the fields last written. */
  hash: string;
}

/** A personal contact of the extension as 3CX lists it. */
export interface PbxPersonalContact {
  id: number;
  /** Pbx.ContactSource: "Google" for what gw3cx (or 3CX's own integration) wrote; "3CX" for one typed by hand. */
  contactType: string | null;
  fields: PbxContactFields;
}

export interface PlannedContactCreate extends DesiredContact {}

export interface PlannedContactUpdate extends DesiredContact {
  contactId: number;
  /** Every owned field: a value, or null to clear one Google no longer has. */
  changes: Partial<Record<keyof PbxContactFields, string | null>>;
}

export interface PlannedContactDelete {
  resourceName: string;
  contactId: number;
  reason: "DELETED_OR_UNLABELLED" | "LABEL_GONE";
}

/** A Google-typed contact nobody linked that holds exactly what a create would write: linked instead (a create whose answer was lost). */
export interface PlannedContactAdoption extends DesiredContact {
  contactId: number;
}

export interface ContactSyncPlan {
  creates: PlannedContactCreate[];
  updates: PlannedContactUpdate[];
  deletes: PlannedContactDelete[];
  adoptions: PlannedContactAdoption[];
  /** Linked and the same as last written: no 3CX call. */
  unchanged: number;
  /** Creates left out because the phonebook would pass PersonalContactsMaxCount. */
  overLimit: DesiredContact[];
  /**
   * Linked contacts no longer in 3CX (deleted there by hand) that this incremental read did not
   * bring: their fields are unknown, so the caller reads everything again (a full read recreates them).
   */
  missingLinked: string[];
  /** Links whose 3CX contact is gone and that Google no longer wants: forgotten. */
  staleLinks: string[];
}

export function isEmptyContactPlan(plan: ContactSyncPlan): boolean {
  return plan.creates.length + plan.updates.length + plan.deletes.length + plan.adoptions.length === 0;
}
