import type { SourceCredential } from "../adapters/google/source-credential.js";
import { resolveSecret } from "../config/resolve-secret.js";
import type { Settings } from "../config/schema.js";
import type { SecretVersions } from "../ports/secret-versions.js";
import type { ServiceAccountKeys } from "../ports/service-account-keys.js";
import type { StorageConfig } from "../usecases/storage/configure-storage.js";
import { requireSetting } from "./require-setting.js";

/** The slice of the settings `gw3cx storage` reads. */
export function storageConfigFrom(settings: Settings): StorageConfig {
  return {
    ...(settings.storage.remoteArchiving
      ? {
          archiving: {
            projectId: requireSetting(
              settings.gcp.projectId,
              "gcp.projectId",
              "the Google Cloud project gw3cx is deployed to (the archiver account and its secret live there)",
            ),
            bucket: settings.storage.bucket,
            folders: settings.storage.archiveTypes,
          },
        }
      : {}),
    ...(settings.transcription.configurePbx
      ? { transcription: { languageCode: settings.transcription.languageCode } }
      : {}),
  };
}

export interface ArchiverKeyAdapters {
  keys: ServiceAccountKeys;
  secrets: SecretVersions;
  close(): Promise<void>;
}

/**
 * IAM and Secret Manager as the operator running the CLI: their application default credentials
 * (`gcloud auth application-default login`), or the simulator's fixed token (google.sourceToken).
 * The clients load only here, when a storage command runs.
 */
export async function createArchiverKeyAdapters(
  settings: Settings,
  projectId: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ArchiverKeyAdapters> {
  const { SecretManagerVersions } = await import("../adapters/gcp/secret-manager-versions.js");
  const secrets = new SecretManagerVersions(projectId, env);
  return {
    keys: await createServiceAccountKeys(settings, env),
    secrets,
    close: () => secrets.close(),
  };
}

/** The IAM keys port alone, as the operator (what `gw3cx remove` needs to delete the archiver's keys). */
export async function createServiceAccountKeys(
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServiceAccountKeys> {
  const { IamServiceAccountKeys } = await import("../adapters/gcp/iam-service-account-keys.js");
  const google = settings.google;
  const { fixedSourceCredential } = await import("../adapters/google/source-credential.js");
  const credential: SourceCredential = google.sourceToken
    ? fixedSourceCredential(resolveSecret(google.sourceToken, "google.sourceToken", env))
    : (await import("../adapters/google/adc-source-credential.js")).applicationDefaultSourceCredential();
  return new IamServiceAccountKeys({
    credential,
    ...(google.apiRootUrl ? { apiRootUrl: google.apiRootUrl } : {}),
    timeoutMs: google.requestTimeoutMs,
  });
}
