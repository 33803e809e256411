import type { StateStore } from "../../ports/state-store.js";
import { type ChannelRecord, ChannelStore } from "../channels/channel-store.js";
import { type ContactRun, ContactRunStore } from "../contacts/contact-run-store.js";
import { type SyncRunView, withLiveness } from "../user-sync/run-liveness.js";
import { type SyncRun, SyncRunStore } from "../user-sync/sync-run-store.js";
import { UserLinkStore } from "../user-sync/user-link-store.js";
import { type PresenceStatus, readPresenceStatus } from "./read-presence-status.js";

export interface Gw3cxStatus {
  /** Most recent first; a run whose process died shows as "abandoned" once its heartbeat lapsed. */
  runs: SyncRunView[];
  held: SyncRun[];
  channels: (ChannelRecord & { expiresInMs?: number })[];
  managedUsers: number;
  /** Calendar presence: the profiles gw3cx holds now, and how many calendars are watched. */
  presence: PresenceStatus;
  /** The last personal-contacts run (users done, contacts written, overflow, failures), if any. */
  contacts?: ContactRun;
}

/** What `gw3cx status` and the status page show: last runs, held runs, watch channels, managed users, presence overrides. */
export async function readStatus(state: StateStore, now: Date, runLimit = 20): Promise<Gw3cxStatus> {
  const [runs, held, channels, links, presence, [lastContactRun]] = await Promise.all([
    new SyncRunStore(state).latest(runLimit),
    new SyncRunStore(state).held(),
    new ChannelStore(state).ofKind("directory"),
    new UserLinkStore(state).all(),
    readPresenceStatus(state),
    new ContactRunStore(state).latest(1),
  ]);
  return {
    runs: runs.map((run) => withLiveness(run, now)),
    held,
    channels: channels.map((c) => ({
      ...c,
      expiresInMs: c.expiration ? c.expiration.getTime() - now.getTime() : undefined,
    })),
    managedUsers: links.length,
    presence,
    ...(lastContactRun ? { contacts: lastContactRun } : {}),
  };
}
