import { isGw3cxError } from "../../errors.js";
import type { Clock } from "../../ports/clock.js";
import type { StateStore } from "../../ports/state-store.js";

const LOCKS = "contactLocks";
/** Longer than one user's contacts take to write; a crashed worker's lease is free again after it. */
export const CONTACT_LEASE_TTL_MS = 120_000;

/**
 * One writer per user's phonebook: a duplicate message handled at the same time backs off instead of
 * writing the same contacts twice. Returns false (nothing run) when another holder has it.
 */
export async function withContactLease(
  state: StateStore,
  clock: Clock,
  googleId: string,
  owner: string,
  work: () => Promise<void>,
): Promise<boolean> {
  const lease = { owner, expiresAtMs: clock.now().getTime() + CONTACT_LEASE_TTL_MS };
  let version: number;
  try {
    version = (await state.create(LOCKS, googleId, lease)).version;
  } catch (error) {
    if (!isGw3cxError(error, "STATE_ALREADY_EXISTS")) throw error;
    const current = await state.get<{ expiresAtMs: number }>(LOCKS, googleId);
    if (current && current.data.expiresAtMs > clock.now().getTime()) return false;
    try {
      version = current
        ? (await state.update(LOCKS, googleId, lease, { expectedVersion: current.version })).version
        : (await state.create(LOCKS, googleId, lease)).version;
    } catch (takeover) {
      if (
        ["STATE_VERSION_CONFLICT", "STATE_NOT_FOUND", "STATE_ALREADY_EXISTS"].some((c) =>
          isGw3cxError(takeover, c),
        )
      )
        return false;
      throw takeover;
    }
  }
  try {
    await work();
  } finally {
    await state.delete(LOCKS, googleId, { expectedVersion: version }).catch((error: unknown) => {
      if (!isGw3cxError(error, "STATE_VERSION_CONFLICT")) throw error;
    });
  }
  return true;
}
