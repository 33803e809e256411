import type { PersonalContact } from "./personal-contact.js";

/**
 * Whether an incremental People read can be sorted under the label id stored from an earlier run,
 * or the label must be looked up by name again first.
 *
 * connections.list names a contact's labels only by id, and Google reports a label's deletion as a
 * change of each contact that carried it (the membership goes). A live contact in the read that does
 * not carry the stored label is therefore the one sign an incremental read gives that the label may
 * have been deleted, or deleted and made again under the same name (a new id its contacts carry):
 * only then is the lookup worth a call. Edits of labelled contacts and deletions are explained by the
 * stored id and need none. A rename changes no contact, so no read can show it: the next lookup
 * (a read with such a contact, or the full read when Google expires the token) sees it.
 */
export function labelNeedsResolving(
  changed: readonly PersonalContact[],
  storedLabelResourceName: string,
): boolean {
  return changed.some(
    (contact) => !contact.deleted && !contact.labelResourceNames.includes(storedLabelResourceName),
  );
}
