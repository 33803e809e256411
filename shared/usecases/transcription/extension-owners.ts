import type { UserLink } from "../../domain/user-sync/user-sync-types.js";
import type { Directory } from "../../ports/directory.js";
import type { StateStore } from "../../ports/state-store.js";
import type { ExtensionOwners } from "./transcription-ports.js";

/**
 * Extension -> email through user sync's own state: each user link holds the Google user id and
 * the extension number user sync gave (or adopted); the Directory gives that user's primary
 * email. An extension gw3cx does not manage has no owner here (no mail, the default language).
 */
export function linkedExtensionOwners(
  state: StateStore,
  directory: Pick<Directory, "getUser">,
): ExtensionOwners {
  return {
    async emailOf(extension) {
      const [link] = await state.query<UserLink & Record<string, unknown>>("userLinks", {
        where: [["number", "==", extension]],
        limit: 1,
      });
      if (!link) return undefined;
      const user = await directory.getUser(link.data.googleId);
      return user && !user.suspended ? user.primaryEmail : undefined;
    },
  };
}
