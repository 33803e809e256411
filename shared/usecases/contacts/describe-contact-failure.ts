import { isGw3cxError } from "../../errors.js";
import { WorkspaceError } from "../../ports/directory.js";
import type { ContactSyncUser } from "./user-contacts-result.js";

/** The People scope contact sync needs in the domain-wide delegation entry (read-only). */
export const CONTACTS_SCOPE = "https://www.googleapis.com/auth/contacts.readonly";

/** Google's words for a delegation that lacks a scope: at the token exchange, or on the API call. */
const SCOPE_MISSING_REASONS = new Set([
  "unauthorized_client",
  "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
  "insufficientPermissions",
]);

/**
 * One user's failure as the run reports it: a missing contacts scope is named with what to do
 * about it; anything else keeps its own code and message.
 */
export function describeContactFailure(
  error: unknown,
  user: ContactSyncUser,
): { code: string; message: string } {
  if (
    error instanceof WorkspaceError &&
    error.failure === "NOT_AUTHORIZED" &&
    SCOPE_MISSING_REASONS.has(error.reason ?? "")
  ) {
    return {
      code: "CONTACTS_SCOPE_NOT_GRANTED",
      message: `Google refused to read ${user.email}'s contacts: the domain-wide delegation lacks ${CONTACTS_SCOPE} (add it in the Admin console under Domain-wide delegation) [${error.code}: ${error.reason}]`,
    };
  }
  if (isGw3cxError(error)) return { code: error.code, message: error.message };
  return { code: "UNEXPECTED", message: error instanceof Error ? error.message : String(error) };
}
