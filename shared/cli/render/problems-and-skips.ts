import { SYNC_REASON_TEXT, type UserSyncPlan } from "../../domain/user-sync/user-sync-plan.js";

/** How many users are named per line; the rest are counted. */
const FIRST_FEW = 3;

const firstFew = (names: readonly string[]): string =>
  names.length > FIRST_FEW
    ? `${names.slice(0, FIRST_FEW).join(", ")} and ${names.length - FIRST_FEW} more`
    : names.join(", ");

/**
 * What a run did not do as Workspace has it, after its writes: values left out (with the first
 * few users) and users left alone, counted by reason with the first few of each. Empty if none.
 */
export function renderProblemsAndSkips(plan: UserSyncPlan): string[] {
  const lines: string[] = [];
  if (plan.problems.length > 0) {
    lines.push(
      `  ${plan.problems.length} value(s) longer than 3CX accepts, left out (never cut short); the rest was synced:`,
    );
    for (const p of plan.problems.slice(0, FIRST_FEW))
      lines.push(`    ${p.email}  ${p.field}: ${p.length} characters, 3CX accepts ${p.limit}`);
    if (plan.problems.length > FIRST_FEW) lines.push(`    and ${plan.problems.length - FIRST_FEW} more`);
  }
  if (plan.skips.length > 0) {
    const byReason = new Map<string, string[]>();
    for (const skip of plan.skips) {
      const reason = SYNC_REASON_TEXT[skip.reason];
      const names = byReason.get(reason) ?? [];
      names.push(skip.email ?? skip.googleId ?? `3CX user ${skip.threecxId}`);
      byReason.set(reason, names);
    }
    lines.push(`  ${plan.skips.length} user(s) left alone:`);
    for (const [reason, names] of byReason) lines.push(`    ${names.length}  ${reason}: ${firstFew(names)}`);
  }
  return lines;
}
