import type { UserSyncPlan } from "./user-sync-plan.js";

export interface SafeguardSettings {
  maxDisableCount: number;
  maxDisablePercent: number;
}

export interface SafeguardVerdict {
  held: boolean;
  disables: number;
  /** The most disables a run may make without approval. */
  limit: number;
}

/**
 * A run that would disable more than max(maxDisableCount, maxDisablePercent% of managed users)
 * is held for approval (as GCDS, Entra ID and Okta do): a mis-set scope or a broken listing must
 * not switch off a company's phones.
 */
export function evaluateSafeguard(plan: UserSyncPlan, settings: SafeguardSettings): SafeguardVerdict {
  const limit = Math.max(
    settings.maxDisableCount,
    Math.floor((plan.managedCount * settings.maxDisablePercent) / 100),
  );
  return { held: plan.disables.length > limit, disables: plan.disables.length, limit };
}
