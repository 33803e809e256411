import type { BusyInterval } from "../../domain/presence/classify-event.js";
import type { PresenceOverride } from "../../domain/presence/presence-override.js";
import type { StateStore } from "../../ports/state-store.js";

const PRESENCE = "presence";
const BOUNDARIES = "presenceBoundaries";

/** What gw3cx keeps per user for presence: the calendar's read position, its busy time, the override. */
export interface UserPresence {
  googleUserId: string;
  /** The primary email the calendar is read as; re-read from the Directory when a read is refused. */
  email: string;
  syncToken?: string;
  calendarTimeZone: string;
  /** The compact timeline: counted busy intervals, one day back and on. */
  intervals: BusyInterval[];
  override: PresenceOverride | null;
  /** Top-level copy of "gw3cx holds a profile now", so status can query it. */
  holding: boolean;
  nextBoundaryMs: number | null;
  appliedAtMs: number;
  /** When the calendar was last read whole (first read, 410, nightly resync). */
  fullReadAtMs: number;
}

/** A user's next boundary, kept small and apart so the reconcile tick reads the earliest ones only. */
export interface PendingBoundary {
  googleUserId: string;
  atMs: number;
}

export class PresenceStore {
  constructor(private readonly state: StateStore) {}

  async get(googleUserId: string): Promise<UserPresence | undefined> {
    return (await this.state.get<UserPresence & Record<string, unknown>>(PRESENCE, googleUserId))?.data;
  }

  /** Saves the user's presence and its next boundary (or its absence) together. */
  async save(presence: UserPresence): Promise<void> {
    const { syncToken, ...rest } = presence;
    await this.state.set(PRESENCE, presence.googleUserId, { ...rest, ...(syncToken ? { syncToken } : {}) });
    if (presence.nextBoundaryMs === null) {
      await this.state.delete(BOUNDARIES, presence.googleUserId);
    } else {
      const boundary: PendingBoundary = {
        googleUserId: presence.googleUserId,
        atMs: presence.nextBoundaryMs,
      };
      await this.state.set(BOUNDARIES, presence.googleUserId, { ...boundary });
    }
  }

  /** Users gw3cx holds a profile for now (status). */
  async holding(): Promise<UserPresence[]> {
    return (
      await this.state.query<UserPresence & Record<string, unknown>>(PRESENCE, {
        where: [["holding", "==", true]],
      })
    ).map((d) => d.data);
  }

  async all(): Promise<UserPresence[]> {
    return (await this.state.query<UserPresence & Record<string, unknown>>(PRESENCE)).map((d) => d.data);
  }

  /** The earliest pending boundaries, soonest first. */
  async earliestBoundaries(limit: number): Promise<PendingBoundary[]> {
    return (
      await this.state.query<PendingBoundary & Record<string, unknown>>(BOUNDARIES, {
        orderBy: { field: "atMs", direction: "asc" },
        limit,
      })
    ).map((d) => d.data);
  }
}
