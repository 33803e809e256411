import { scopeVerdict } from "../../domain/delegation/delegation-verdict.js";
import { formatRelative } from "../../domain/status/status-time.js";
import type { DelegationHealthStore } from "../../ports/delegation-health.js";
import type { StateStore } from "../../ports/state-store.js";
import type { StatusSectionReader } from "./status-section.js";

const SCOPE_PREFIX = "https://www.googleapis.com/auth/";

/**
 * Domain-wide delegation as the deployed functions last saw it, per account and scope: the same
 * records `gw3cx doctor` reads, refusals first. None until a function has asked for a token (the
 * single machine records nothing: doctor checks its account directly).
 */
export function delegationStatusSection(
  healthIn: (state: StateStore) => DelegationHealthStore,
): StatusSectionReader {
  return async (state, now) => {
    const records = await healthIn(state).list();
    if (records.length === 0) return undefined;
    const rows = records.map((record) => ({ record, verdict: scopeVerdict(record, now) }));
    const refused = rows.filter((r) => r.verdict.state === "refused").length;
    rows.sort(
      (a, b) =>
        Number(b.verdict.state === "refused") - Number(a.verdict.state === "refused") ||
        a.record.account.localeCompare(b.record.account) ||
        a.record.scope.localeCompare(b.record.scope),
    );
    const ago = (at: string | undefined) => (at ? formatRelative(Date.parse(at), now.getTime()) : "");
    const accounts = new Set(records.map((r) => r.account)).size;
    return {
      id: "delegation",
      title: "Domain-wide delegation of the deployed functions",
      summary: `${accounts} accounts, ${records.length} scopes in use; ${refused} refused at the last token (gw3cx doctor names the fix)`,
      columns: ["account", "scope", "state", "last success", "last refusal"],
      rows: rows.map(({ record, verdict }) => [
        record.account,
        record.scope.startsWith(SCOPE_PREFIX) ? record.scope.slice(SCOPE_PREFIX.length) : record.scope,
        verdict.state === "subjectRefused" ? "refused for one user" : verdict.state,
        ago(record.lastSuccessAt),
        record.lastRefusal
          ? `${record.lastRefusal.reason} for ${record.lastRefusal.subject}, ${ago(record.lastRefusal.at)}`
          : "",
      ]),
    };
  };
}
