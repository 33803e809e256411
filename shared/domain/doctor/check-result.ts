/**
 * What one doctor check found. `fix` says what to do about it, in words an admin can act on
 * (a command, a console path); a passing check has none.
 */
export type CheckStatus = "pass" | "info" | "warn" | "fail" | "skip";

export interface CheckResult {
  /** Stable, kebab-case, e.g. "delegation-scopes": the README's troubleshooting table is keyed by it. */
  name: string;
  status: CheckStatus;
  /** What was found, e.g. "3CX 20.0.10.900". */
  found: string;
  fix?: string;
  /** What a line sums up, for `--json` only (e.g. each scope of a delegating account). */
  details?: Record<string, unknown>;
}

export const pass = (name: string, found: string): CheckResult => ({ name, status: "pass", found });
export const info = (name: string, found: string): CheckResult => ({ name, status: "info", found });
export const warn = (name: string, found: string, fix: string): CheckResult => ({
  name,
  status: "warn",
  found,
  fix,
});
export const fail = (name: string, found: string, fix: string): CheckResult => ({
  name,
  status: "fail",
  found,
  fix,
});
export const skip = (name: string, found: string): CheckResult => ({ name, status: "skip", found });

/** Doctor succeeds when nothing failed: warnings, notes and skipped checks are allowed. */
export function doctorPassed(results: readonly CheckResult[]): boolean {
  return results.every((result) => result.status !== "fail");
}

/** How many results have each status, for the summary line. */
export function countByStatus(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, info: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}
