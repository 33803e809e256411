import type { Settings } from "../config/schema.js";
import type { UserSyncConfig } from "../usecases/user-sync/user-sync-ports.js";

/** The slice of the settings user sync reads. */
export function userSyncConfigFrom(settings: Settings): UserSyncConfig {
  return {
    syncUsers: settings.syncUsers,
    syncType: settings.syncType,
    selectedUsers: settings.selectedUsers,
    selectedGroups: settings.selectedGroups,
    selectedOrgUnits: settings.selectedOrgUnits,
    startingExtension: settings.startingExtension,
    syncPhoto: settings.syncPhoto,
    sso: settings.sso,
    phoneRegion: settings.phoneRegion,
    safeguard: settings.safeguard,
    mailSender: settings.google.mailSender ?? settings.google.adminSubject,
    concurrency: settings.threecx.maxInFlight,
    abandonedRunAfterMs: settings.abandonedRunAfterMs,
  };
}
