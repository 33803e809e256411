import type { CheckResult } from "../../domain/doctor/check-result.js";
import type { ArchiveFolder } from "../../domain/storage/storage-plan.js";
import type { Calendar } from "../../ports/calendar.js";
import type { Clock } from "../../ports/clock.js";
import type { DeadLetterSource } from "../../ports/dead-letters.js";
import type { DelegatedTokens, ServiceAccountClientIds } from "../../ports/delegated-tokens.js";
import type { DelegationHealthStore } from "../../ports/delegation-health.js";
import type { Directory } from "../../ports/directory.js";
import type { People } from "../../ports/people.js";
import type { StateStore } from "../../ports/state-store.js";
import type { ThreeCx } from "../../ports/threecx.js";

/** The Workspace side, present only when the Google settings are complete enough to build it. */
export interface DoctorGooglePorts {
  tokens: DelegatedTokens;
  /** Asked for the client id when a scope is refused and the deployment's outputs did not say. */
  clientIds?: ServiceAccountClientIds;
  directory: Directory;
  calendar: Calendar;
  people: People;
}

/** Everything the checks read. Built for the doctor with few retries, so a failure shows quickly. */
export interface DoctorPorts {
  state: StateStore;
  /** What the deployed functions recorded of their own delegated tokens. */
  delegationHealth?: DelegationHealthStore;
  deadLetters: DeadLetterSource;
  google?: DoctorGooglePorts;
  threecx?: ThreeCx;
  /** The single machine's offline transcription engine, when transcription runs here. */
  localTranscriber?: { probe(): Promise<void> };
  clock: Clock;
}

/** One OAuth scope the enabled features need, and which feature needs it. */
export interface NeededScope {
  scope: string;
  neededFor: string;
}

/** A delegating service account of the deployment and its numeric client id. */
export interface DeployedAccount {
  account: string;
  clientId?: string;
}

/** A Google API in use and how to switch it on. */
export interface GoogleApiInUse {
  /** Which one the check reads: Directory users, the admin's calendar, the admin's contact labels. */
  api: "directory" | "calendar" | "people";
  /** Its Service Usage name, e.g. admin.googleapis.com. */
  service: string;
  title: string;
}

export interface DoctorConfig {
  adminSubject?: string;
  serviceAccountEmail?: string;
  /** The numeric client id domain-wide delegation is granted to, when known (Terraform outputs). */
  delegationClientId?: string;
  scopes: readonly NeededScope[];
  /** The deployment's delegating accounts (Terraform outputs), when known. */
  deployedAccounts?: readonly DeployedAccount[];
  /** The scopes each delegating account's function needs, by account id; any other account needs `scopes`. */
  scopesByAccount?: Readonly<Record<string, readonly NeededScope[]>>;
  apis: readonly GoogleApiInUse[];
  gcpProjectId?: string;
  threecxUrl?: string;
  threecxClientId?: string;
  /** Where the 3CX client secret lives, for the fix (a Secret Manager secret or an environment variable). */
  threecxSecretHint: string;
  /** Why the Google or 3CX ports could not be built (a missing setting), named in their checks. */
  googleUnavailable?: string;
  threecxUnavailable?: string;
  syncUsers: boolean;
  syncPersonalContacts: boolean;
  calendarPresence: boolean;
  /** storage.remoteArchiving: the bucket and folders 3CX should archive to. */
  remoteArchiving?: { bucket: string | undefined; folders: readonly ArchiveFolder[] };
  /** transcription.enabled on this machine (the offline engine, not Speech-to-Text). */
  localTranscription?: boolean;
  /** Each check gives up after this long, so one hanging dependency cannot stall the others. */
  checkTimeoutMs: number;
}

/**
 * One check (or a few that depend on each other, like the 3CX chain). `names` lists the results
 * it gives, so a check that times out or throws still reports each of them.
 */
export interface DoctorCheck {
  names: readonly string[];
  run(ports: DoctorPorts, config: DoctorConfig): Promise<CheckResult[]>;
}
