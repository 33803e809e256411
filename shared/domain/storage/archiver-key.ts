/**
 * The one service-account key gw3cx makes: for 3CX to reach the archive bucket from outside Google
 * Cloud. Names and the retirement rules of a rotation, kept pure.
 */

/** The dedicated account (infra creates it only when storage.remoteArchiving is on). */
export const ARCHIVER_ACCOUNT_ID = "gw3cx-archiver";
/** The Secret Manager secret holding the key file (infra creates the secret, never a version). */
export const ARCHIVER_SECRET_ID = "gw3cx-archiver-key";
/** The file name 3CX shows for the key (LocationSettings.GbJson.Name). */
export const ARCHIVER_KEY_FILE_NAME = "gw3cx-archiver-key.json";

export function archiverAccountEmail(projectId: string): string {
  return `${ARCHIVER_ACCOUNT_ID}@${projectId}.iam.gserviceaccount.com`;
}

/** The key ids to delete once 3CX holds `keep`: every other user-managed key of the account. */
export function keysToRetire(keyIds: readonly string[], keep: string): string[] {
  return keyIds.filter((id) => id !== keep);
}

export interface SecretVersionView {
  /** projects/P/secrets/S/versions/N */
  name: string;
  state: "ENABLED" | "DISABLED" | "DESTROYED" | string;
}

/** The versions to disable once 3CX holds the key in `keep`: every other enabled one. */
export function versionsToDisable(versions: readonly SecretVersionView[], keep: string): string[] {
  return versions.filter((v) => v.name !== keep && v.state === "ENABLED").map((v) => v.name);
}
