import type { RemovalItem } from "../../domain/remove/removal-item.js";
import type { Logger } from "../../logging/logger.js";
import type { StateStore } from "../../ports/state-store.js";
import type { ThreeCx } from "../../ports/threecx.js";
import { ContactLinkStore } from "../contacts/contact-link-store.js";
import { UserLinkStore } from "../user-sync/user-link-store.js";
import { failureReason } from "./failure-reason.js";

export interface ContactRemovalPorts {
  state: StateStore;
  threecx: Pick<ThreeCx, "deleteContacts">;
  logger: Logger;
}

/** Ids per DeleteContactsById call: a large phonebook goes in several calls. */
const DELETE_BATCH = 200;
const ACTION = "delete the phonebook entries gw3cx wrote and forget them";

/**
 * `gw3cx remove --contacts`: the personal phonebook entries gw3cx wrote, recognised as the contacts
 * sync does, by its links (Google contact <-> 3CX contact Id); an entry a user typed or a CRM wrote
 * has no link and is never touched. One item per user: the entries are deleted in 3CX, then the
 * links and the user's sync token are forgotten. A user whose delete fails keeps their links, so
 * the next run tries again; deleting an entry already gone from 3CX is harmless.
 */
export async function deleteManagedContacts(
  ports: ContactRemovalPorts,
  options: { dryRun: boolean },
): Promise<RemovalItem[]> {
  const contacts = new ContactLinkStore(ports.state);
  const byUser = new Map<string, Array<{ resourceName: string; contactId: number }>>();
  for (const link of await contacts.all()) {
    const list = byUser.get(link.googleId) ?? [];
    list.push(link);
    byUser.set(link.googleId, list);
  }
  if (byUser.size === 0) {
    return [
      {
        area: "personal-contacts",
        target: "(none on record)",
        action: ACTION,
        status: "already-gone",
        reason: "no phonebook entry of gw3cx's on record",
      },
    ];
  }
  const extensions = new Map((await new UserLinkStore(ports.state).all()).map((l) => [l.googleId, l.number]));
  const items: RemovalItem[] = [];
  for (const [googleId, links] of byUser) {
    const extension = extensions.get(googleId);
    const planned: RemovalItem = {
      area: "personal-contacts",
      target: `${links.length} of ${extension ? `extension ${extension}` : `user ${googleId}`}`,
      action: ACTION,
      status: "to-do",
    };
    if (options.dryRun) {
      items.push(planned);
      continue;
    }
    try {
      const ids = links.map((link) => link.contactId);
      for (let start = 0; start < ids.length; start += DELETE_BATCH) {
        await ports.threecx.deleteContacts(ids.slice(start, start + DELETE_BATCH));
      }
      for (const link of links) await contacts.remove(googleId, link.resourceName);
      // Without its links a later sync would start from a full read, not from this token.
      await contacts.forgetSyncState(googleId);
      ports.logger.event("removalContactsDeleted", { googleId, contacts: ids.length });
      items.push({ ...planned, status: "done" });
    } catch (error) {
      items.push({ ...planned, status: "failed", reason: failureReason(error) });
    }
  }
  return items;
}
