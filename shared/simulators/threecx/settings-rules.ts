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
  if (name === "RemoteArchivingSettings") checkRemoteArchiving(next);
  if (name === "VoicemailSettings") checkVoicemail(next);
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

const isEntity = (value: unknown): value is Entity =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const secretOf = (file: unknown): string => {
  if (!isEntity(file)) return "";
  const value = file.Contents ?? file.Value;
  return typeof value === "string" ? value : "";
};

/**
 * A Google bucket location needs the bucket and a service-account key file: the PBX checks the
 * file is one (3CX would then try the bucket itself, which the simulator cannot reach).
 */
function checkRemoteArchiving(next: Entity): void {
  const location = isEntity(next.Location) ? next.Location : {};
  if (location.FileSystemType !== "GoogleBucket") return;
  const path = typeof location.GbPath === "string" ? location.GbPath.trim() : "";
  if (path === "") {
    throw ruleViolation("WARNINGS.XAPI.REQUIRED", "Location.GbPath", "a Google bucket location needs GbPath");
  }
  if (/\s/.test(path)) {
    throw ruleViolation(
      "WARNINGS.XAPI.PATH_SHOULD_NOT_CONTAIN_SPACES",
      "Location.GbPath",
      "GbPath must not contain spaces",
    );
  }
  const key = secretOf(location.GbJson);
  if (key === "") {
    throw ruleViolation(
      "WARNINGS.XAPI.REQUIRED",
      "Location.GbJson",
      "a Google bucket location needs a service-account key file (GbJson)",
    );
  }
  if (!isServiceAccountKeyFile(key)) {
    throw ruleViolation(
      "WARNINGS.XAPI.FILE_FORMAT_IS_INCORRECT",
      "Location.GbJson",
      "GbJson is not a Google service-account key file",
    );
  }
}

function isServiceAccountKeyFile(text: string): boolean {
  try {
    const file = JSON.parse(text) as Record<string, unknown>;
    return (
      file.type === "service_account" &&
      typeof file.client_email === "string" &&
      typeof file.private_key === "string" &&
      file.private_key.includes("PRIVATE KEY")
    );
  } catch {
    return false;
  }
}

/** OpenAI transcription without its key is refused (the PBX has a warning for exactly that). */
function checkVoicemail(next: Entity): void {
  if (next.TranscribeEngine === "OpenAI" && secretOf(next.TranscribeSecretKey) === "") {
    throw ruleViolation(
      "WARNINGS.XAPI.OPENAI_KEY_IS_MISSING",
      "TranscribeSecretKey",
      "OpenAI transcription needs its API key",
    );
  }
}
