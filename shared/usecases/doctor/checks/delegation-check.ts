import { type CheckResult, fail, pass, skip } from "../../../domain/doctor/check-result.js";
import { Gw3cxError } from "../../../errors.js";
import type { ServiceAccountClientIds } from "../../../ports/delegated-tokens.js";
import { WorkspaceError } from "../../../ports/directory.js";
import type { DoctorCheck, DoctorConfig, DoctorPorts } from "../doctor-ports.js";
import { deployedDelegationResults } from "./deployed-delegation.js";

const NAME = "delegation";

/**
 * The CLI's own account first: a token for the admin subject, one scope at a time, so a scope the
 * Admin console does not grant is named on its own (Google refuses the whole request when any one
 * scope is missing). Then one line per deployed delegating account, from what its function
 * recorded (deployed-delegation.ts).
 */
export const delegationCheck: DoctorCheck = {
  names: [NAME],
  async run(ports, config) {
    const [own, deployed] = await Promise.all([
      ownAccountResults(ports, config),
      deployedDelegationResults(ports, config),
    ]);
    return [...own, ...deployed];
  },
};

async function ownAccountResults(ports: DoctorPorts, config: DoctorConfig): Promise<CheckResult[]> {
  if (!ports.google || !config.adminSubject) {
    return [
      fail(
        NAME,
        config.googleUnavailable ?? "Google is not configured",
        "set the Google settings named here",
      ),
    ];
  }
  const { tokens } = ports.google;
  const subject = config.adminSubject;
  const outcomes = await Promise.all(
    config.scopes.map(async (needed) => {
      try {
        await tokens.accessToken(subject, [needed.scope]);
        return { needed, error: undefined };
      } catch (error) {
        return { needed, error };
      }
    }),
  );
  const refused = outcomes.filter((o) => o.error !== undefined);
  if (refused.length === 0) {
    return [pass(NAME, `a token for ${subject} with each of ${config.scopes.length} scopes`)];
  }
  const scopeRefusals = refused.filter((o) => reasonOf(o.error) === "unauthorized_client");
  if (scopeRefusals.length === refused.length) {
    const scopes = scopeRefusals.map((o) => o.needed.scope);
    const clientId = config.delegationClientId ?? (await lookUpClientId(ports.google.clientIds, config));
    return [
      fail(
        NAME,
        `refused for ${subject}: ${scopeRefusals.map((o) => `${o.needed.scope} (${o.needed.neededFor})`).join(", ")}`,
        `Admin console > Security > API controls > Domain-wide delegation: add ${scopes.join(",")} to ${clientIdText(clientId, config)}`,
      ),
    ];
  }
  // Not a scope: every token is refused for the same reason (signing, the subject, the network).
  const first = refused.find((o) => reasonOf(o.error) !== "unauthorized_client")?.error;
  return [fail(NAME, `no token for ${subject}: ${messageOf(first)}`, fixFor(first, config))];
}

/** The check for a scope that another check found missing, so the API checks can defer to this one. */
export function isDelegationFailure(error: unknown): boolean {
  // The adapters wrap the delegation error in their own port error, keeping it as the cause.
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof Gw3cxError && current.code.startsWith("DELEGATION_")) return true;
    current = current.cause;
  }
  return false;
}

export function skipForDelegation(name: string): CheckResult {
  return skip(name, "no delegated token (see the delegation check)");
}

/** Best effort: a lookup that fails leaves the fix pointing at `gw3cx setup` instead. */
async function lookUpClientId(
  clientIds: ServiceAccountClientIds | undefined,
  config: DoctorConfig,
): Promise<string | undefined> {
  if (!clientIds || !config.serviceAccountEmail) return undefined;
  try {
    return await clientIds.clientIdOf(config.serviceAccountEmail);
  } catch {
    return undefined;
  }
}

function clientIdText(clientId: string | undefined, config: DoctorConfig): string {
  if (clientId) return `client id ${clientId}`;
  return `the client id of ${config.serviceAccountEmail ?? "the service account"} (\`gw3cx setup --outputs FILE\` prints it)`;
}

function reasonOf(error: unknown): string | undefined {
  return error instanceof WorkspaceError ? error.reason : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fixFor(error: unknown, config: DoctorConfig): string {
  const account = config.serviceAccountEmail ?? "the service account";
  const code = error instanceof Gw3cxError ? error.code : "";
  const reason = reasonOf(error);
  if (code === "DELEGATION_SIGN_JWT_FAILED") {
    return (
      `let ${account} sign JWTs as itself: gcloud iam service-accounts add-iam-policy-binding ${account} ` +
      `--member=serviceAccount:${account} --role=roles/iam.serviceAccountTokenCreator ` +
      "(and the IAM Service Account Credentials API enabled)"
    );
  }
  if (reason === "invalid_grant") {
    return `check google.adminSubject (${config.adminSubject}): an active Workspace user, and the machine's clock`;
  }
  return "check the Google settings and the network, then run doctor again";
}
