import { type CheckResult, countByStatus } from "../../domain/doctor/check-result.js";

/** "PASS name: found" or "FAIL name: found -> fix", one line per check, then a count. */
export function renderDoctor(results: readonly CheckResult[]): string {
  const lines = results.map(
    (r) => `${r.status.toUpperCase().padEnd(4)} ${r.name}: ${r.found}${r.fix ? ` -> ${r.fix}` : ""}`,
  );
  const counts = countByStatus(results);
  const summary = (["pass", "info", "warn", "fail", "skip"] as const)
    .filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${status}`)
    .join(", ");
  return [...lines, "", summary].join("\n");
}
