import { SYNC_REASON_TEXT, type SyncReason } from "../../domain/user-sync/user-sync-plan.js";
import type { SyncRun, SyncRunCounts } from "../../usecases/user-sync/sync-run-store.js";
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

/** How to approve a held run, as one command line. */
export const approveCommand = (runId: string): string => `gw3cx sync --approve ${runId}`;

/** The outcome of `gw3cx sync`: what changed, or why nothing did and what to do next. */
export function renderRunSummary(run: SyncRun): string {
  const lines = [`Run ${run.runId}${run.approves ? ` (approves ${run.approves})` : ""}: ${run.status}`];
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
  const counts = run.applied ?? run.counts;
  if (counts) lines.push(`  ${describeCounts(counts)}`);
  if (run.errors.length > 0) lines.push(`  ${run.errors.length} error(s), listed on stderr`);
  return lines.join("\n");
}
