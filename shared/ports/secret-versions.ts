import type { SecretVersionView } from "../domain/storage/archiver-key.js";
import type { KeyMaterial } from "../domain/storage/key-material.js";
import { Gw3cxError } from "../errors.js";

/** Versions of a Secret Manager secret in the deployment's project (the secret itself comes from infra). */
export interface SecretVersions {
  /** Whether the secret exists (GetSecret). */
  hasSecret(secretId: string): Promise<boolean>;
  /** Adds the payload as the newest version; returns its name (projects/P/secrets/S/versions/N). */
  addVersion(secretId: string, payload: KeyMaterial): Promise<string>;
  listVersions(secretId: string): Promise<SecretVersionView[]>;
  /** The payload of a version (a name, or projects/P/secrets/S/versions/latest). */
  accessVersion(name: string): Promise<KeyMaterial>;
  disableVersion(name: string): Promise<void>;
}

export type SecretVersionsErrorCode =
  | "SECRET_NOT_FOUND"
  | "SECRET_PERMISSION_DENIED"
  | "SECRET_UNAVAILABLE"
  | "SECRET_FAILED";

export class SecretVersionsError extends Gw3cxError<SecretVersionsErrorCode> {}
