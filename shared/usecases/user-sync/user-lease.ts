import type { Clock } from "../../ports/clock.js";
import type { UserLease } from "./apply-user-sync-plan.js";
import type { UserLinkStore } from "./user-link-store.js";

/** Longer than any single user's writes take; a crashed worker's lease is free again after it. */
export const LEASE_TTL_MS = 60_000;

export function userLease(links: UserLinkStore, clock: Clock, owner: string): UserLease {
  return async (googleId, work) => {
    const lock = await links.tryLock(googleId, owner, clock.now(), LEASE_TTL_MS);
    if (!lock) return false;
    try {
      await work();
    } finally {
      await links.unlock(lock);
    }
    return true;
  };
}

/** For a caller that already holds the user's lease. */
export const alreadyLeased: UserLease = async (_googleId, work) => {
  await work();
  return true;
};
