import type { SyncScope } from "../../domain/user-sync/user-sync-types.js";
import type { Directory } from "../../ports/directory.js";
import type { UserSyncConfig } from "./user-sync-ports.js";

/**
 * Turns the configured selection into a SyncScope. For selected groups the members (nested groups
 * included) are read from the Directory; for one user in real time, `forEmail` asks per group
 * whether that user is a member instead of listing every group.
 */
export async function resolveSyncScope(
  config: UserSyncConfig,
  directory: Directory,
  forEmail?: string,
): Promise<SyncScope> {
  switch (config.syncType) {
    case "all":
      return { type: "all" };
    case "allExceptSelected":
      return { type: "allExceptSelected", emails: config.selectedUsers };
    case "selected":
      return { type: "selected", emails: config.selectedUsers };
    case "selectedOrgUnits":
      return { type: "selectedOrgUnits", orgUnitPaths: config.selectedOrgUnits };
    case "selectedGroups": {
      const memberEmails = new Set<string>();
      if (forEmail) {
        for (const group of config.selectedGroups) {
          if (await directory.hasGroupMember(group, forEmail)) memberEmails.add(forEmail.toLowerCase());
        }
      } else {
        for (const group of config.selectedGroups) {
          for (const member of await directory.listGroupMembers(group, { includeDerived: true })) {
            if (member.type === "USER" && member.email) memberEmails.add(member.email.toLowerCase());
          }
        }
      }
      return { type: "selectedGroups", memberEmails };
    }
  }
}
