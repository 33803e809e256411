import {
  type RenewChannelsOptions,
  type RenewChannelsResult,
  renewDirectoryChannels,
} from "../channels/renew-directory-channels.js";
import { type SyncAllUsersResult, syncAllUsers } from "./sync-all-users.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

export interface DailySyncResult {
  users?: SyncAllUsersResult;
  channels: RenewChannelsResult;
}

/**
 * The nightly job: reconcile every user (when user sync is on), then renew the Directory channels.
 * Channels are renewed even if the sync failed or was held: real-time must keep working.
 */
export async function runDailySync(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  channels: RenewChannelsOptions,
): Promise<DailySyncResult> {
  const users = config.syncUsers ? await syncAllUsers(ports, config, { trigger: "daily" }) : undefined;
  return { users, channels: await renewDirectoryChannels(ports, channels) };
}
