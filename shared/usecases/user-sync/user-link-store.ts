import type { UserLink } from "../../domain/user-sync/user-sync-types.js";
import { isGw3cxError } from "../../errors.js";
import type { StateStore } from "../../ports/state-store.js";

const LINKS = "userLinks";

/** A held per-user lease: the version of the lease document this holder wrote. */
export interface UserLock {
  googleId: string;
  version: number;
}
const LOCKS = "userLocks";

/** Links Google user id <-> 3CX user Id, one document per Google user. */
export class UserLinkStore {
  constructor(private readonly state: StateStore) {}

  async all(): Promise<UserLink[]> {
    return (await this.state.query<UserLink & Record<string, unknown>>(LINKS)).map((d) => d.data);
  }

  async get(googleId: string): Promise<UserLink | undefined> {
    return (await this.state.get<UserLink & Record<string, unknown>>(LINKS, googleId))?.data;
  }

  async findByThreecxId(threecxId: number): Promise<UserLink | undefined> {
    const [match] = await this.state.query<UserLink & Record<string, unknown>>(LINKS, {
      where: [["threecxId", "==", threecxId]],
      limit: 1,
    });
    return match?.data;
  }

  async save(link: UserLink): Promise<void> {
    await this.state.set(LINKS, link.googleId, stripUndefined(link));
  }

  /**
   * A per-user lease, so two workers never write the same user at once: the second one backs off
   * and, when it retries, finds nothing left to do. A lease left by a crashed worker expires.
   * Undefined when someone else holds it.
   */
  async tryLock(googleId: string, owner: string, now: Date, ttlMs: number): Promise<UserLock | undefined> {
    const lease = { owner, expiresAtMs: now.getTime() + ttlMs };
    try {
      return { googleId, version: (await this.state.create(LOCKS, googleId, lease)).version };
    } catch (error) {
      if (!isGw3cxError(error, "STATE_ALREADY_EXISTS")) throw error;
    }
    const current = await this.state.get<{ owner: string; expiresAtMs: number }>(LOCKS, googleId);
    if (!current) return this.tryLock(googleId, owner, now, ttlMs);
    if (current.data.expiresAtMs > now.getTime()) return undefined;
    try {
      const taken = await this.state.update(LOCKS, googleId, lease, { expectedVersion: current.version });
      return { googleId, version: taken.version };
    } catch (error) {
      if (isGw3cxError(error, "STATE_VERSION_CONFLICT") || isGw3cxError(error, "STATE_NOT_FOUND"))
        return undefined;
      throw error;
    }
  }

  /** Releases the lease, unless it expired and another worker has taken it over since. */
  async unlock(lock: UserLock): Promise<void> {
    try {
      await this.state.delete(LOCKS, lock.googleId, { expectedVersion: lock.version });
    } catch (error) {
      if (!isGw3cxError(error, "STATE_VERSION_CONFLICT")) throw error;
    }
  }
}

function stripUndefined<T extends object>(value: T): T & Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T &
    Record<string, unknown>;
}
