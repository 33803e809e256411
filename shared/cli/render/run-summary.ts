import type { UserSyncPlan } from "../../domain/user-sync/user-sync-plan.js";
import { SYNC_REASON_TEXT, type SyncReason } from "../../domain/user-sync/user-sync-plan.js";
import type { SyncRun, SyncRunCounts } from "../../usecases/user-sync/sync-run-store.js";
import { renderProblemsAndSkips } from "./problems-and-skips.js";
import { renderTable } from "./table.js";

const VERBS: [keyof SyncRunCounts, string][] = [
  ["creates", "created"],
  ["adoptions", "adopted"],
  ["updates", "updated"],
  ["disables", "disabled"],
  ["enables", "enabled"],
];

/** "47 created, 1 adopted" (or "no changes"), from what went through, else from what was planned. */
export function describeCounts(counts: SyncRunCounts | undefined, planned = false): string {
  if (!counts) return "nothing read";
  const verb = (past: string) => (planned ? `to be ${past}` : past);
  const parts = VERBS.filter(([key]) => counts[key] > 0).map(([key, past]) => `${counts[key]} ${verb(past)}`);
  const extra = [
    counts.skips > 0 ? `${counts.skips} left alone` : "",
    counts.problems > 0 ? `${counts.problems} with problems` : "",
  ].filter(Boolean);
  return [parts.length > 0 ? parts.join(", ") : "no changes", ...extra].join("; ");
}

const noWrites = { creates: 0, adoptions: 0, updates: 0, disables: 0, enables: 0 };

/** How to approve a held run, as one command line. */
export const approveCommand = (runId: string): string => `gw3cx sync --approve ${runId}`;

/** What to say when user sync is switched off, wherever a run finds it so. */
export const USER_SYNC_OFF_TEXT =
  "User sync is off (syncUsers: false, $GW3CX_SYNC_USERS): nothing was read or written. Set syncUsers: true to sync users.";

/**
 * The outcome of `gw3cx sync`: what changed, what was left out or alone and why (from the plan,
 * when the run has one), or why nothing changed and what to do next.
 */
export function renderRunSummary(run: SyncRun, plan?: UserSyncPlan): string {
  const lines = [`Run ${run.runId}${run.approves ? ` (approves ${run.approves})` : ""}: ${run.status}`];
  if (run.status === "off") {
    lines.push(`  ${USER_SYNC_OFF_TEXT}`);
    return lines.join("\n");
  }
  if (run.status === "held") {
    lines.push(
      `Held by the safeguard: it would disable ${run.safeguard?.disables ?? run.heldDisables?.length} users, ` +
        `more than the ${run.safeguard?.limit} allowed without approval. Nothing was changed.`,
    );
    lines.push(
      renderTable(
        ["extension", "email", "why"],
        (run.heldDisables ?? []).map((d) => [
          d.number,
          d.email,
          SYNC_REASON_TEXT[d.reason as SyncReason] ?? d.reason,
        ]),
      ),
    );
    lines.push(`If these users should be disabled, apply the run with:\n  ${approveCommand(run.runId)}`);
    return lines.join("\n");
  }
  const writes = run.applied ?? run.counts;
  if (writes) lines.push(`  ${describeCounts({ ...writes, skips: 0, problems: 0 })}`);
  if (plan) lines.push(...renderProblemsAndSkips(plan));
  else if (run.counts) {
    const rest = describeCounts({ ...run.counts, ...noWrites }).replace(/^no changes(; )?/, "");
    if (rest) lines.push(`  ${rest}`);
  }
  const leased = run.errors.filter((e) => e.code === "USER_LEASED").length;
  if (leased > 0)
    lines.push(
      `  ${leased} user(s) not applied: another worker held them (listed on stderr); run again later`,
    );
  const failed = run.errors.length - leased;
  if (failed > 0) lines.push(`  ${failed} error(s), listed on stderr`);
  return lines.join("\n");
}
