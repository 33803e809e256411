/**
 * Rules a PBX applies to the settings singletons beyond the spec's types. Each is an assumption
 * drawn from the field and warning names the spec carries, unverified against a real PBX.
 */
import { notImplemented, ruleViolation } from "./odata/odata-error.js";
import type { Entity, SettingsName } from "./state.js";

/** Mail server types whose credentials come from an interactive consent the XAPI has no field for. */
const CONSENT_MAIL_SERVER_TYPES = new Set(["GoogleWorkspace", "MS365"]);

/** Throws the PBX's refusal when `patch` may not be applied to `current`; `next` is the merged result. */
export function checkSettingsRules(name: SettingsName, current: Entity, patch: Entity, next: Entity): void {
  if (name === "MailSettings") checkMail(current, patch);
  if (name === "GoogleSettings") checkGoogle(next);
}

function checkMail(current: Entity, patch: Entity): void {
  if ("CanEditMailServerType" in patch && patch.CanEditMailServerType !== current.CanEditMailServerType) {
    throw ruleViolation(
      "WARNINGS.XAPI.FORBIDDEN_CHANGE",
      "CanEditMailServerType",
      "CanEditMailServerType is decided by the PBX",
    );
  }
  const type = patch.MailServerType;
  if (type === undefined || type === current.MailServerType) return;
  if (current.CanEditMailServerType === false) {
    throw ruleViolation(
      "WARNINGS.XAPI.FORBIDDEN_CHANGE",
      "MailServerType",
      "this PBX does not allow its mail server type to be changed",
    );
  }
  if (typeof type === "string" && CONSENT_MAIL_SERVER_TYPES.has(type)) {
    throw notImplemented(
      "MailServerType",
      `MailServerType ${type} (its credentials come from a sign-in in the admin console)`,
    );
  }
}

function checkGoogle(next: Entity): void {
  if (next.IsExtensionSignInEnabled !== true) return;
  const secret = next.ClientSecret as Entity | null | undefined;
  if (!next.ClientId || !secret?.Value) {
    throw ruleViolation(
      "WARNINGS.NO_SECRET_DEFINED",
      "IsExtensionSignInEnabled",
      "Google sign-in needs an OAuth client: ClientId and ClientSecret",
    );
  }
}
