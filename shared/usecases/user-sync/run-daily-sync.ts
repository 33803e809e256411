import {
  type RenewChannelsOptions,
  type RenewChannelsResult,
  renewDirectoryChannels,
} from "../channels/renew-directory-channels.js";
import { type SyncAllUsersResult, syncAllUsers } from "./sync-all-users.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

/**
 * Presence's part of the scheduled jobs, passed in by the entry point when calendar presence is
 * wired (user sync knows nothing of calendars): the nightly resync, and the channel check that rides
 * on the renewal tick.
 */
export interface ScheduledPresenceWork {
  nightly(): Promise<unknown>;
  renewChannels(): Promise<unknown>;
  /** The reconcile tick: users whose boundary passed without its wake-up. */
  reconcile(): Promise<unknown>;
}

/** Personal contacts' part of the nightly job, passed in when syncPersonalContacts is wired: after the users. */
export interface ScheduledContactsWork {
  nightly(): Promise<unknown>;
}

export interface DailySyncResult {
  /** Absent for the renewal tick, which syncs no users. */
  users?: SyncAllUsersResult;
  channels: RenewChannelsResult;
  /** What the nightly presence work reported (calendar resync and channels), when it ran. */
  presence?: unknown;
  /** What the nightly contacts work reported (in the cloud: the run it opened and fanned out). */
  contacts?: unknown;
}

/**
 * The nightly job: reconcile every user (a recorded "off" run when user sync is off), then renew
 * the Directory channels.
 * Channels are renewed even if the sync failed or was held: real-time must keep working.
 */
export async function runDailySync(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  channels: RenewChannelsOptions,
  /** Run after the users (it needs their links): the calendar channels and resync. */
  presence?: ScheduledPresenceWork,
  /** Run after the users (it needs their links): one contacts request per user. */
  contacts?: ScheduledContactsWork,
): Promise<DailySyncResult> {
  // With syncUsers off, syncAllUsers records an "off" run and reads nothing.
  const users = await syncAllUsers(ports, config, { trigger: "daily" });
  const renewed = await renewDirectoryChannels(ports, channels);
  return {
    users,
    channels: renewed,
    ...(presence ? { presence: await presence.nightly() } : {}),
    ...(contacts ? { contacts: await contacts.nightly() } : {}),
  };
}
