import type { KeyMaterial } from "../domain/storage/key-material.js";
import { Gw3cxError } from "../errors.js";

/**
 * User-managed keys of one service account (IAM projects.serviceAccounts.keys), as the operator
 * running the CLI: gw3cx makes exactly one kind, the archiver's key for 3CX.
 */
export interface ServiceAccountKeys {
  /** A new key; its file (JSON credentials) comes back once and is never readable again. */
  createKey(accountEmail: string): Promise<{ keyId: string; keyFile: KeyMaterial }>;
  /** Ids of the account's user-managed keys (Google's own system-managed keys are not listed). */
  listKeyIds(accountEmail: string): Promise<string[]>;
  deleteKey(accountEmail: string, keyId: string): Promise<void>;
}

export type ServiceAccountKeyErrorCode =
  /** The organization policy constraints/iam.disableServiceAccountKeyCreation forbids keys. */
  | "KEY_CREATION_FORBIDDEN"
  /** The account does not exist (infra makes it only when storage.remoteArchiving is on). */
  | "ACCOUNT_NOT_FOUND"
  /** The caller may not manage the account's keys. */
  | "KEY_PERMISSION_DENIED"
  /** An account holds at most 10 keys. */
  | "KEY_LIMIT_REACHED"
  | "IAM_UNAVAILABLE"
  | "IAM_FAILED";

export class ServiceAccountKeyError extends Gw3cxError<ServiceAccountKeyErrorCode> {}
