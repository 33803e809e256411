import type { DelegationHealth, DelegationRefusal } from "./delegation-health.js";

/**
 * A success older than this is only a warning that the evidence is old, not a failure. A week:
 * the nightly run and the contacts fan-out ask for tokens every day, and the functions driven by
 * events (real-time sync, presence, the status page, transcription) do within a normal working
 * week; successes are rewritten at most hourly, so a day's margin would already be plenty for the
 * nightly accounts, and a week keeps a quiet weekend or holiday from raising a warning.
 */
export const STALE_SUCCESS_AFTER_MS = 7 * 86_400_000;

/**
 * What doctor makes of one (account, scope) record: working (PASS), refused (FAIL: the Admin
 * console entry or the signing is wrong), refused for one user (WARN: invalid_grant names a
 * subject Google did not accept, which is usually that user, not the entry), stale (WARN) or
 * unused (INFO: nothing recorded yet).
 */
export type ScopeVerdict =
  | { state: "working" | "stale"; lastSuccessAt: string }
  | { state: "refused" | "subjectRefused"; refusal: DelegationRefusal; lastSuccessAt?: string }
  | { state: "unused" };

export function scopeVerdict(record: DelegationHealth | undefined, now: Date): ScopeVerdict {
  if (!record) return { state: "unused" };
  const { lastRefusal, lastSuccessAt } = record;
  if (record.last === "refused" && lastRefusal) {
    const state = lastRefusal.reason === "invalid_grant" ? "subjectRefused" : "refused";
    return { state, refusal: lastRefusal, ...(lastSuccessAt ? { lastSuccessAt } : {}) };
  }
  if (!lastSuccessAt) return { state: "unused" };
  const age = now.getTime() - Date.parse(lastSuccessAt);
  return { state: age > STALE_SUCCESS_AFTER_MS ? "stale" : "working", lastSuccessAt };
}
