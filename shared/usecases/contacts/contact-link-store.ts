import type { ContactLink } from "../../domain/contacts/contact-sync-plan.js";
import type { StateStore } from "../../ports/state-store.js";

const LINKS = "contactLinks";
const SYNC_STATES = "contactSyncStates";

/**
 * Where a user's incremental People read resumes, and the label id it was read under: kept so an
 * unchanged night costs one People call, not a label lookup as well.
 */
export interface ContactSyncState {
  googleId: string;
  syncToken: string;
  labelResourceName: string;
  /** The contactLabel setting the id was looked up by (absent in states stored before it was kept). */
  labelName?: string;
  syncedAt: string;
}

interface StoredLink extends ContactLink {
  googleId: string;
}

/**
 * Links Google resourceName <-> 3CX contact Id with the hash last written, one document per
 * contact (a user's phonebook can outgrow a single document), and each user's sync token.
 */
export class ContactLinkStore {
  constructor(private readonly state: StateStore) {}

  async of(googleId: string): Promise<ContactLink[]> {
    const docs = await this.state.query<StoredLink & Record<string, unknown>>(LINKS, {
      where: [["googleId", "==", googleId]],
    });
    return docs.map(({ data }) => ({
      resourceName: data.resourceName,
      contactId: data.contactId,
      hash: data.hash,
    }));
  }

  /** Every link of every user (`gw3cx remove --contacts`): what gw3cx wrote into 3CX phonebooks. */
  async all(): Promise<Array<ContactLink & { googleId: string }>> {
    const docs = await this.state.query<StoredLink & Record<string, unknown>>(LINKS);
    return docs.map(({ data }) => ({
      googleId: data.googleId,
      resourceName: data.resourceName,
      contactId: data.contactId,
      hash: data.hash,
    }));
  }

  async save(googleId: string, link: ContactLink): Promise<void> {
    await this.state.set(LINKS, linkId(googleId, link.resourceName), { googleId, ...link });
  }

  async remove(googleId: string, resourceName: string): Promise<void> {
    await this.state.delete(LINKS, linkId(googleId, resourceName));
  }

  async syncState(googleId: string): Promise<ContactSyncState | undefined> {
    return (await this.state.get<ContactSyncState & Record<string, unknown>>(SYNC_STATES, googleId))?.data;
  }

  async saveSyncState(state: ContactSyncState): Promise<void> {
    await this.state.set(SYNC_STATES, state.googleId, { ...state });
  }

  /** The next read is a full one. */
  async forgetSyncState(googleId: string): Promise<void> {
    await this.state.delete(SYNC_STATES, googleId);
  }
}

/** Document ids may not hold "/": "people/c123" becomes "c123". */
function linkId(googleId: string, resourceName: string): string {
  return `${googleId}_${resourceName.replace(/^people\//, "").replace(/\//g, "_")}`;
}
