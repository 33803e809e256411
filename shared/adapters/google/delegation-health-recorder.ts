import {
  type DelegationHealth,
  type DelegationOutcome,
  healthAfter,
} from "../../domain/delegation/delegation-health.js";
import type { Logger } from "../../logging/logger.js";
import type { DelegationHealthStore } from "../../ports/delegation-health.js";

/**
 * Keeps the delegation health records of one process up to date without slowing it down: `note`
 * returns at once and the write happens behind it, only when the outcome changed or an hour went
 * by (healthAfter). Writes for one (account, scope) run one after the other, so a success never
 * overtakes the refusal before it. A write that fails is logged and forgotten: it never fails the
 * call whose token it describes.
 */
export class DelegationHealthRecorder {
  /** The last record written (or read, the first time), per key; null: none stored. */
  private readonly known = new Map<string, DelegationHealth | null>();
  private readonly queued = new Map<string, Promise<void>>();

  constructor(
    private readonly store: DelegationHealthStore,
    private readonly logger?: Logger,
  ) {}

  note(outcome: DelegationOutcome): void {
    const key = `${outcome.account}\n${outcome.scope}`;
    const pending = this.queued.get(key);
    // The common case, a token handed out again within the hour: nothing to do, no promise made.
    if (!pending && this.known.has(key) && !healthAfter(this.known.get(key) ?? undefined, outcome)) return;
    const next = (pending ?? Promise.resolve())
      .then(() => this.apply(key, outcome))
      .catch((error: unknown) =>
        this.logger?.event("googleDelegationHealthNotRecorded", {
          account: outcome.account,
          scope: outcome.scope,
          outcome: outcome.ok ? "success" : outcome.refusal.reason,
          error,
        }),
      )
      .finally(() => {
        if (this.queued.get(key) === next) this.queued.delete(key);
      });
    this.queued.set(key, next);
  }

  /** Resolves when every write noted so far is done (or has failed and been logged). */
  async settled(): Promise<void> {
    while (this.queued.size > 0) await Promise.all(this.queued.values());
  }

  private async apply(key: string, outcome: DelegationOutcome): Promise<void> {
    if (!this.known.has(key)) {
      // A new instance learns what is stored, so a cold start does not rewrite an unchanged record.
      this.known.set(key, (await this.store.get(outcome.account, outcome.scope)) ?? null);
    }
    const updated = healthAfter(this.known.get(key) ?? undefined, outcome);
    if (!updated) return;
    await this.store.put(updated);
    this.known.set(key, updated);
  }
}
