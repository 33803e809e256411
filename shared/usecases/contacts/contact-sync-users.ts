import type { UserLink } from "../../domain/user-sync/user-sync-types.js";
import type { StateStore } from "../../ports/state-store.js";
import type { ThreeCx, ThreeCxPersonalContactLimit, ThreeCxUserSummary } from "../../ports/threecx.js";
import { UserLinkStore } from "../user-sync/user-link-store.js";
import type { ContactSyncUser } from "./user-contacts-result.js";

/**
 * Who gets contacts: the users user sync manages whose 3CX user exists, is enabled and has an
 * email. A user disabled in 3CX (suspended in Workspace, left the sync, or by an admin) is left out,
 * and their phonebook is left as it is: nothing is deleted for them.
 */
export async function readContactSyncUsers(state: StateStore, threecx: ThreeCx): Promise<ContactSyncUser[]> {
  const [links, pbxUsers, limits] = await Promise.all([
    new UserLinkStore(state).all(),
    threecx.listUsers(),
    threecx.listPersonalContactLimits(),
  ]);
  const byId = new Map(pbxUsers.map((u) => [u.Id, u]));
  return links.flatMap((link) => {
    const pbxUser = byId.get(link.threecxId);
    return pbxUser ? (toContactSyncUser(link, pbxUser, limits) ?? []) : [];
  });
}

/** One user, as the per-user worker re-reads them; undefined when they are not to be synced now. */
export async function readContactSyncUser(
  state: StateStore,
  threecx: ThreeCx,
  googleId: string,
): Promise<ContactSyncUser | undefined> {
  const link = await new UserLinkStore(state).get(googleId);
  if (!link) return undefined;
  const [pbxUser, limits] = await Promise.all([
    threecx.getUser(link.threecxId),
    threecx.listPersonalContactLimits(),
  ]);
  return pbxUser ? toContactSyncUser(link, pbxUser, limits) : undefined;
}

function toContactSyncUser(
  link: UserLink,
  pbxUser: ThreeCxUserSummary,
  limits: readonly ThreeCxPersonalContactLimit[],
): ContactSyncUser | undefined {
  if (!pbxUser.Enabled || !pbxUser.EmailAddress) return undefined;
  return {
    googleId: link.googleId,
    email: pbxUser.EmailAddress,
    number: pbxUser.Number,
    maxCount: limitOf(pbxUser.PrimaryGroupId, limits),
  };
}

/** The user's department's limit; without one, the strictest any department states. */
function limitOf(departmentId: number | null, limits: readonly ThreeCxPersonalContactLimit[]): number | null {
  const own = limits.find((l) => l.departmentId === departmentId)?.maxCount;
  if (own !== undefined && own !== null) return own;
  const stated = limits.map((l) => l.maxCount).filter((m): m is number => m !== null && m > 0);
  return stated.length > 0 ? Math.min(...stated) : null;
}
