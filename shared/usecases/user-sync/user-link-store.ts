import type { UserLink } from "../../domain/user-sync/user-sync-types.js";
import { isGw3cxError } from "../../errors.js";
import type { StateStore } from "../../ports/state-store.js";

const LINKS = "userLinks";
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
   */
  async tryLock(googleId: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const lease = { owner, expiresAtMs: now.getTime() + ttlMs };
    try {
      await this.state.create(LOCKS, googleId, lease);
      return true;
    } catch (error) {
      if (!isGw3cxError(error, "STATE_ALREADY_EXISTS")) throw error;
    }
    const current = await this.state.get<{ owner: string; expiresAtMs: number }>(LOCKS, googleId);
    if (!current) return this.tryLock(googleId, owner, now, ttlMs);
    if (current.data.expiresAtMs > now.getTime()) return false;
    try {
      await this.state.update(LOCKS, googleId, lease, { expectedVersion: current.version });
      return true;
    } catch (error) {
      if (isGw3cxError(error, "STATE_VERSION_CONFLICT") || isGw3cxError(error, "STATE_NOT_FOUND"))
        return false;
      throw error;
    }
  }

  async unlock(googleId: string, owner: string): Promise<void> {
    const current = await this.state.get<{ owner: string }>(LOCKS, googleId);
    if (current?.data.owner === owner) await this.state.delete(LOCKS, googleId);
  }
}

function stripUndefined<T extends object>(value: T): T & Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T &
    Record<string, unknown>;
}
