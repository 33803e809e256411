import { accountIdOf, type DelegationRefusal } from "../../../domain/delegation/delegation-health.js";
import {
  type ScopeVerdict,
  STALE_SUCCESS_AFTER_MS,
  scopeVerdict,
} from "../../../domain/delegation/delegation-verdict.js";
import { type CheckResult, fail, info, pass, warn } from "../../../domain/doctor/check-result.js";
import { formatRelative, formatSpan } from "../../../domain/status/status-time.js";
import type { DoctorConfig, DoctorPorts, NeededScope } from "../doctor-ports.js";

const NAME = "delegation";
const SCOPE_PREFIX = "https://www.googleapis.com/auth/";
const ADMIN_CONSOLE = "Admin console > Security > API controls > Domain-wide delegation";

interface ScopeState {
  needed: NeededScope;
  verdict: ScopeVerdict;
}

/**
 * One line per deployed delegating account, from what its function recorded of its own tokens
 * (the operator usually may not sign as those accounts, so doctor cannot ask for their tokens).
 * The accounts are the deployment's outputs plus any account that recorded something; the CLI's
 * own account is left out, as the direct check covers it.
 */
export async function deployedDelegationResults(
  ports: DoctorPorts,
  config: DoctorConfig,
): Promise<CheckResult[]> {
  if (!ports.delegationHealth) return [];
  const records = await ports.delegationHealth.list();
  const accounts = new Map<string, string | undefined>();
  for (const deployed of config.deployedAccounts ?? []) accounts.set(deployed.account, deployed.clientId);
  for (const record of records) if (!accounts.has(record.account)) accounts.set(record.account, undefined);
  const own = config.serviceAccountEmail?.toLowerCase();
  const now = ports.clock.now();
  const results = await Promise.all(
    [...accounts]
      .filter(([account]) => account.toLowerCase() !== own)
      .map(async ([account, clientId]) => {
        const needed = config.scopesByAccount?.[accountIdOf(account)] ?? config.scopes;
        // A function whose features are all off asks for nothing: no line, as for a feature that is off.
        if (needed.length === 0) return undefined;
        const states = needed.map((n) => ({
          needed: n,
          verdict: scopeVerdict(
            records.find((r) => r.account === account && r.scope === n.scope),
            now,
          ),
        }));
        return accountResult(account, clientId, states, now, ports, config);
      }),
  );
  return results.filter((r): r is CheckResult => r !== undefined);
}

async function accountResult(
  account: string,
  knownClientId: string | undefined,
  states: ScopeState[],
  now: Date,
  ports: DoctorPorts,
  config: DoctorConfig,
): Promise<CheckResult> {
  const refused = states.filter((s) => s.verdict.state === "refused");
  // The fix needs the client id; IAM is asked only then, and only when the outputs did not say.
  const clientId = knownClientId ?? (refused.length > 0 ? await lookUpClientId(ports, account) : undefined);
  const found = `${account}${clientId ? ` (client id ${clientId})` : ""}: ${states.map((s) => describe(s, now)).join(", ")}`;
  const details = {
    account,
    ...(clientId ? { clientId } : {}),
    scopes: states.map((s) => ({ scope: s.needed.scope, neededFor: s.needed.neededFor, ...s.verdict })),
  };
  const withDetails = (result: CheckResult): CheckResult => ({ ...result, details });
  if (refused.length > 0)
    return withDetails(fail(NAME, found, refusalFix(account, clientId, refused, config)));
  const subjectRefused = states.flatMap((s) => (s.verdict.state === "subjectRefused" ? [s.verdict] : []));
  const stale = states.some((s) => s.verdict.state === "stale");
  if (subjectRefused.length > 0 || stale) {
    const fixes = [
      ...new Set(
        subjectRefused.map(
          (v) =>
            `Google did not accept ${v.refusal.subject} as the subject (invalid_grant): usually a deleted or suspended user, else the function's clock; the next success clears it`,
        ),
      ),
    ];
    if (stale) {
      fixes.push(
        `no success for over ${formatSpan(STALE_SUCCESS_AFTER_MS)}: check that the function still runs (\`gw3cx status\`) and that client id ${clientId ?? "of this account"} still has these scopes`,
      );
    }
    return withDetails(warn(NAME, found, fixes.join("; ")));
  }
  if (states.some((s) => s.verdict.state === "unused")) return withDetails(info(NAME, found));
  return withDetails(pass(NAME, found));
}

function short(scope: string): string {
  return scope.startsWith(SCOPE_PREFIX) ? scope.slice(SCOPE_PREFIX.length) : scope;
}

function describe({ needed, verdict }: ScopeState, now: Date): string {
  const scope = short(needed.scope);
  const ago = (at: string) => formatRelative(Date.parse(at), now.getTime());
  switch (verdict.state) {
    case "working":
      return `${scope} worked ${ago(verdict.lastSuccessAt)}`;
    case "stale":
      return `${scope} last worked ${ago(verdict.lastSuccessAt)}`;
    case "refused":
    case "subjectRefused": {
      const who = verdict.state === "subjectRefused" ? ` for ${verdict.refusal.subject}` : "";
      const before = verdict.lastSuccessAt ? `; worked ${ago(verdict.lastSuccessAt)}` : "";
      return `${scope} refused${who} ${ago(verdict.refusal.at)} (${verdict.refusal.reason}${before})`;
    }
    case "unused":
      return `${scope} not used yet`;
  }
}

function refusalFix(
  account: string,
  clientId: string | undefined,
  refused: ScopeState[],
  config: DoctorConfig,
): string {
  const refusals = refused.flatMap((s) => (s.verdict.state === "refused" ? [s.verdict.refusal] : []));
  if (refusals.some((r) => r.step === "SIGN_JWT")) return signJwtFix(account);
  const client = clientId
    ? `client id ${clientId}`
    : `the client id of ${account} (\`gw3cx setup --outputs FILE\` prints it)`;
  const missing = refused.map((s) => s.needed.scope).join(",");
  const line = config.scopes.map((s) => s.scope).join(",");
  const others = refusals.filter((r) => r.reason !== "unauthorized_client");
  const note = others.length > 0 ? ` (Google said: ${firstMessage(others)})` : "";
  return `${ADMIN_CONSOLE}: add ${missing} to ${client}; its OAuth scopes line: ${line}${note}`;
}

function signJwtFix(account: string): string {
  return (
    `let ${account} sign JWTs as itself: gcloud iam service-accounts add-iam-policy-binding ${account} ` +
    `--member=serviceAccount:${account} --role=roles/iam.serviceAccountTokenCreator (the stack grants it: apply it again)`
  );
}

function firstMessage(refusals: DelegationRefusal[]): string {
  return refusals[0]?.message ?? "";
}

/** Best effort, as for the CLI's own account: a failed lookup leaves the fix pointing at `gw3cx setup`. */
async function lookUpClientId(ports: DoctorPorts, account: string): Promise<string | undefined> {
  try {
    return await ports.google?.clientIds?.clientIdOf(account);
  } catch {
    return undefined;
  }
}
