import { labelNeedsResolving } from "../../domain/contacts/label-needs-resolving.js";
import type { ContactLabel, ContactSyncResult } from "../../ports/people.js";
import type { ContactSyncState } from "./contact-link-store.js";
import type { ContactSyncConfig, ContactSyncPorts } from "./contact-sync-ports.js";
import type { ContactSyncUser } from "./user-contacts-result.js";

/** A People read and the label its contacts are sorted under. */
export interface ReadUnderLabel {
  label: ContactLabel;
  read: ContactSyncResult;
}

/**
 * The user's People changes and the label to sort them by, in as few calls as the stored state allows.
 * With a token read under the same label name, the label id stored with it is trusted: an unchanged
 * user costs the one connections.list call. The label is looked up by name again only when a full read
 * is due anyway (no token, or Google expired it) or the changes hold a contact the stored id cannot
 * explain (see labelNeedsResolving); a different id then means the label was made again, so its
 * contacts are read in full. undefined: the user has no label of that name (any more).
 */
export async function readUnderLabel(
  ports: ContactSyncPorts,
  config: ContactSyncConfig,
  user: ContactSyncUser,
  stored: ContactSyncState | undefined,
): Promise<ReadUnderLabel | undefined> {
  const lookUp = () => ports.people.findContactLabel(user.email, config.contactLabel);
  if (stored && stored.labelName === config.contactLabel) {
    const read = await ports.people.syncContacts(user.email, { syncToken: stored.syncToken });
    if (!read.full && !labelNeedsResolving(read.contacts, stored.labelResourceName))
      return { label: { resourceName: stored.labelResourceName, name: config.contactLabel }, read };
    const label = await lookUp();
    if (!label) return undefined;
    if (read.full || label.resourceName === stored.labelResourceName) return { label, read };
    return { label, read: await ports.people.syncContacts(user.email) };
  }
  const label = await lookUp();
  if (!label) return undefined;
  return { label, read: await ports.people.syncContacts(user.email) };
}
