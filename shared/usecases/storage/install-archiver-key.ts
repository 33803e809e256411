import { keysToRetire, versionsToDisable } from "../../domain/storage/archiver-key.js";
import type { KeyMaterial } from "../../domain/storage/key-material.js";
import { Gw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import type { SecretVersions } from "../../ports/secret-versions.js";
import type { ServiceAccountKeys } from "../../ports/service-account-keys.js";
import { ThreeCxError } from "../../ports/threecx.js";

export interface ArchiverKeyPorts {
  keys: ServiceAccountKeys;
  secrets: SecretVersions;
  logger: Logger;
}

export interface ArchiverKeyTarget {
  accountEmail: string;
  secretId: string;
}

export interface InstalledArchiverKey {
  keyId: string;
  secretVersion: string;
  /** What the rotation retired once 3CX held the new key. */
  retired: { keyIds: string[]; secretVersions: string[] };
  /** Retirements that failed: 3CX works with the new key, but these are still active. */
  notRetired: string[];
}

export class ArchiverKeyError extends Gw3cxError<"ARCHIVER_SECRET_MISSING" | "ARCHIVER_KEY_UNCONFIRMED"> {}

/**
 * 3CX answered that it did not take the write. Anything else (no answer, a lost connection, a
 * 5xx) may have been applied: 3CX may hold the new key, so it must not be deleted.
 */
const THREECX_REFUSALS = new Set([
  "THREECX_REJECTED",
  "THREECX_FORBIDDEN",
  "THREECX_AUTH_FAILED",
  "THREECX_NOT_FOUND",
]);
export function pbxRefusedForSure(error: unknown): boolean {
  return error instanceof ThreeCxError && THREECX_REFUSALS.has(error.code);
}

/**
 * Makes a new key of the archiver account and hands it to 3CX, in the one order that never leaves
 * 3CX without a working key: create the key, keep it in Secret Manager, write it into 3CX, and only
 * then delete the older keys and disable the older secret versions. When a step before 3CX holds
 * the new key fails, the new key is deleted again (and its version disabled): 3CX keeps the key it
 * had, which still works. When the 3CX write fails without a refusal (it may have been applied),
 * both keys are kept: whichever 3CX holds works, and the next rotation settles it. A run killed
 * half-way leaves at most an extra key, which the next rotation retires.
 */
export async function installArchiverKey(
  ports: ArchiverKeyPorts,
  target: ArchiverKeyTarget,
  writeToPbx: (keyFile: KeyMaterial) => Promise<void>,
): Promise<InstalledArchiverKey> {
  const { keys, secrets, logger } = ports;
  // Before any key exists: a missing secret would otherwise mean a key with nowhere to live.
  if (!(await secrets.hasSecret(target.secretId))) {
    throw new ArchiverKeyError(
      "ARCHIVER_SECRET_MISSING",
      `the Secret Manager secret ${target.secretId} does not exist: deploy the infrastructure with storage.remoteArchiving on first`,
    );
  }
  const { keyId, keyFile } = await keys.createKey(target.accountEmail);
  logger.event("archiverKeyCreated", { account: target.accountEmail, keyId });

  let secretVersion: string;
  try {
    secretVersion = await secrets.addVersion(target.secretId, keyFile);
    logger.event("archiverKeyStored", { secretVersion });
  } catch (error) {
    await rollBack(ports, target, keyId, undefined);
    throw error;
  }
  try {
    await writeToPbx(keyFile);
    logger.event("archiverKeyWrittenToPbx", { keyId });
  } catch (error) {
    if (pbxRefusedForSure(error)) {
      await rollBack(ports, target, keyId, secretVersion);
      throw error;
    }
    logger.event("archiverKeyUnconfirmed", { keyId, secretVersion });
    throw new ArchiverKeyError(
      "ARCHIVER_KEY_UNCONFIRMED",
      `3CX did not confirm that it took the new key ${keyId} (${messageOf(error)}); it holds either the old or the new key, and both still work. Run \`gw3cx storage rotate-key\` once 3CX answers again to settle it.`,
      { cause: error, details: { keyId, secretVersion } },
    );
  }

  const notRetired: string[] = [];
  const retired = { keyIds: [] as string[], secretVersions: [] as string[] };
  try {
    for (const oldKey of keysToRetire(await keys.listKeyIds(target.accountEmail), keyId)) {
      await keys.deleteKey(target.accountEmail, oldKey).then(
        () => retired.keyIds.push(oldKey),
        (cause: unknown) => notRetired.push(`key ${oldKey}: ${messageOf(cause)}`),
      );
    }
  } catch (cause) {
    notRetired.push(`older keys of ${target.accountEmail}: ${messageOf(cause)}`);
  }
  try {
    for (const name of versionsToDisable(await secrets.listVersions(target.secretId), secretVersion)) {
      await secrets.disableVersion(name).then(
        () => retired.secretVersions.push(name),
        (cause: unknown) => notRetired.push(`secret version ${name}: ${messageOf(cause)}`),
      );
    }
  } catch (cause) {
    notRetired.push(`older versions of ${target.secretId}: ${messageOf(cause)}`);
  }
  if (notRetired.length > 0) logger.event("archiverKeyRetireFailed", { notRetired });
  else logger.event("archiverKeyRetired", { keyIds: retired.keyIds, secretVersions: retired.secretVersions });
  return { keyId, secretVersion, retired, notRetired };
}

async function rollBack(
  ports: ArchiverKeyPorts,
  target: ArchiverKeyTarget,
  keyId: string,
  secretVersion: string | undefined,
): Promise<void> {
  const failures: string[] = [];
  await ports.keys
    .deleteKey(target.accountEmail, keyId)
    .catch((cause: unknown) => failures.push(`key ${keyId}: ${messageOf(cause)}`));
  if (secretVersion) {
    await ports.secrets
      .disableVersion(secretVersion)
      .catch((cause: unknown) => failures.push(`secret version ${secretVersion}: ${messageOf(cause)}`));
  }
  if (failures.length > 0) ports.logger.event("archiverKeyRollbackFailed", { keyId, failures });
  else ports.logger.event("archiverKeyRolledBack", { keyId, ...(secretVersion ? { secretVersion } : {}) });
}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));
