import { ENV_BINDINGS } from "../shared/config/env-bindings.js";
import type { Settings } from "../shared/config/schema.js";

/**
 * Settings infra sets per function, or that have no place in the cloud: secrets (mounted from
 * Secret Manager), the function's own account, the project, the webhook URL, and the overrides that
 * point the same code at the local simulators and embedded state.
 */
export const INFRA_MANAGED_SETTINGS: ReadonlySet<string> = new Set([
  "threecx.clientSecret",
  "google.channelToken",
  "google.sourceToken",
  "google.serviceAccountEmail",
  "google.directoryWebhookUrl",
  "google.apiRootUrl",
  "google.oauthTokenUrl",
  "google.iamCredentialsRootUrl",
  "gcp.projectId",
  "gcp.presenceBoundaryUrl",
  "gcp.boundaryInvokerEmail",
  "embedded.stateDbPath",
  // The bucket infra creates; set on the functions that use it (GW3CX_ARCHIVE_BUCKET).
  "storage.bucket",
  "storage.localDir",
  "statusPage.idTokenAudiences",
  "statusPage.iapPublicKeysUrl",
  "statusPage.idTokenCertsUrl",
  // Read by Terraform only (the alerts' notification channel; where its state is); no function uses them.
  "alerts.email",
  "gcp.terraformStateBucket",
]);

function valueAt(settings: unknown, path: string): unknown {
  let node = settings;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The validated settings as the environment variables the functions read them from (the names in
 * shared/config/env-bindings.ts), so each function validates the same settings at start-up.
 */
export function settingsToFunctionEnv(settings: Settings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const binding of ENV_BINDINGS) {
    if (INFRA_MANAGED_SETTINGS.has(binding.path)) continue;
    const value = valueAt(settings, binding.path);
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    env[binding.env] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return env;
}
