import {
  type RenewChannelsOptions,
  type RenewChannelsResult,
  renewDirectoryChannels,
} from "../channels/renew-directory-channels.js";
import { type SyncAllUsersResult, syncAllUsers } from "./sync-all-users.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

export interface DailySyncResult {
  /** Absent for the renewal tick, which syncs no users. */
  users?: SyncAllUsersResult;
  channels: RenewChannelsResult;
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
): Promise<DailySyncResult> {
  // With syncUsers off, syncAllUsers records an "off" run and reads nothing.
  const users = await syncAllUsers(ports, config, { trigger: "daily" });
  return { users, channels: await renewDirectoryChannels(ports, channels) };
}
