import { isGw3cxError } from "../../errors.js";
import type { StateStore } from "../../ports/state-store.js";

const COLLECTION = "safeguard";
const BUDGET = "realtimeDisables";
const MANAGED = "managedUsers";
const WINDOW_MS = 24 * 60 * 60 * 1000;

interface BudgetDoc extends Record<string, unknown> {
  disabledAtMs: number[];
}

/**
 * The safeguard for the real-time path. Each notification plans one user, so a bulk suspension
 * in Workspace would arrive as many one-user plans that each pass a per-run limit. Real-time
 * disables therefore share one budget per 24 hours, the same size as a run's limit; past it, a
 * disable waits for the nightly reconcile, whose own safeguard sees them all together.
 */
export class RealtimeDisableBudget {
  constructor(private readonly state: StateStore) {}

  /** Recorded by every full run: the base of the percentage between runs. */
  async recordManagedCount(count: number): Promise<void> {
    await this.state.set(COLLECTION, MANAGED, { count });
  }

  async limit(settings: { maxDisableCount: number; maxDisablePercent: number }): Promise<number> {
    const managed = (await this.state.get<{ count: number }>(COLLECTION, MANAGED))?.data.count ?? 0;
    return Math.max(settings.maxDisableCount, Math.floor((managed * settings.maxDisablePercent) / 100));
  }

  /** Takes one disable from the budget; false when the last 24 hours already used it up. */
  async tryTake(limit: number, now: Date): Promise<boolean> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.state.get<BudgetDoc>(COLLECTION, BUDGET);
      const recent = (current?.data.disabledAtMs ?? []).filter((t) => now.getTime() - t < WINDOW_MS);
      if (recent.length >= limit) return false;
      const next = { disabledAtMs: [...recent, now.getTime()] };
      try {
        if (current) await this.state.update(COLLECTION, BUDGET, next, { expectedVersion: current.version });
        else await this.state.create(COLLECTION, BUDGET, next);
        return true;
      } catch (error) {
        // Another worker took from the budget at the same moment: read again and retry.
        if (!isGw3cxError(error, "STATE_VERSION_CONFLICT") && !isGw3cxError(error, "STATE_ALREADY_EXISTS"))
          throw error;
      }
    }
    return false;
  }
}
