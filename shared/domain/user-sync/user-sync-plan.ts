import type { FieldTooLong } from "./pbx-field-limits.js";
import type { PbxUserWrites } from "./user-sync-types.js";

/** Why the plan does something (or nothing) to a user: a stable code for tests and alerts, and words for people. */
export type SyncReason =
  | "NEW_ACTIVE_USER"
  | "ADOPTED_BY_EMAIL"
  | "FIELDS_CHANGED"
  | "PHOTO_CHANGED"
  | "SIGN_IN_ENABLED"
  | "SUSPENDED"
  | "ARCHIVED"
  | "DELETED"
  | "LEFT_SCOPE"
  | "REACTIVATED"
  | "NOT_ACTIVE"
  | "OUT_OF_SCOPE"
  | "ALREADY_DISABLED"
  | "DISABLED_BY_ADMIN"
  | "LINKED_USER_MISSING"
  | "EMAIL_TAKEN_BY_LINKED_USER"
  | "EMAIL_SHARED_BY_PBX_USERS"
  | "VALUE_TOO_LONG";

export const SYNC_REASON_TEXT: Readonly<Record<SyncReason, string>> = {
  NEW_ACTIVE_USER: "active Workspace user with no 3CX user yet",
  ADOPTED_BY_EMAIL: "an existing 3CX user has the same email; linked instead of creating a duplicate",
  FIELDS_CHANGED: "name, email or work phone differs from Workspace",
  PHOTO_CHANGED: "the Workspace photo changed",
  SIGN_IN_ENABLED: "sso is on: Google sign-in switched on for this user",
  SUSPENDED: "suspended in Workspace",
  ARCHIVED: "archived in Workspace",
  DELETED: "deleted in Workspace",
  LEFT_SCOPE: "no longer in the sync selection",
  REACTIVATED: "active again in Workspace",
  NOT_ACTIVE: "suspended, archived or deleted in Workspace, and never synced",
  OUT_OF_SCOPE: "not in the sync selection",
  ALREADY_DISABLED: "already disabled in 3CX",
  DISABLED_BY_ADMIN: "disabled in 3CX by an administrator, not by gw3cx; left disabled",
  LINKED_USER_MISSING: "the linked 3CX user no longer exists; not recreated",
  EMAIL_TAKEN_BY_LINKED_USER: "a 3CX user with this email is already linked to another Workspace user",
  EMAIL_SHARED_BY_PBX_USERS:
    "several unlinked 3CX users have this email; none is adopted and none created until only one is left",
  VALUE_TOO_LONG: "a value is longer than 3CX accepts",
};

interface Target {
  googleId: string;
  email: string;
}

interface LinkedTarget extends Target {
  threecxId: number;
  number: string;
}

export interface PlannedCreate extends Target {
  /**
   * From startingExtension or the PBX's first available number, unique within the run.
   * Undefined only in a look ahead of reading the numbers in use (the real-time path's first plan).
   */
  number?: string;
  /** Every field Workspace has, except any 3CX would refuse (those are in `problems`). */
  fields: PbxUserWrites;
  photoEtag?: string;
  reason: "NEW_ACTIVE_USER";
}

export interface PlannedAdoption extends LinkedTarget {
  /** Fields to change on adoption (only those that differ). */
  changes: PbxUserWrites;
  photoEtag?: string;
  reason: "ADOPTED_BY_EMAIL";
}

export interface PlannedUpdate extends LinkedTarget {
  changes: PbxUserWrites;
  /** Set when the photo must be written again. */
  photoEtag?: string;
  reason: "FIELDS_CHANGED" | "PHOTO_CHANGED" | "SIGN_IN_ENABLED";
}

export interface PlannedDisable extends LinkedTarget {
  reason: "SUSPENDED" | "ARCHIVED" | "DELETED" | "LEFT_SCOPE";
}

export interface PlannedEnable extends LinkedTarget {
  reason: "REACTIVATED";
}

export interface PlannedSkip {
  googleId?: string;
  threecxId?: number;
  /** EMAIL_SHARED_BY_PBX_USERS: the 3CX users that share the email. */
  threecxIds?: number[];
  email?: string;
  reason: SyncReason;
}

/** A value that could not be written as it is; the rest of the user's plan goes ahead without it. */
export interface PlanProblem extends FieldTooLong {
  googleId: string;
  email: string;
  reason: "VALUE_TOO_LONG";
}

export interface UserSyncPlan {
  creates: PlannedCreate[];
  adoptions: PlannedAdoption[];
  updates: PlannedUpdate[];
  disables: PlannedDisable[];
  enables: PlannedEnable[];
  skips: PlannedSkip[];
  problems: PlanProblem[];
  /** Linked users that still exist in 3CX: the base of the safeguard's percentage. */
  managedCount: number;
}

export function isEmptyPlan(plan: UserSyncPlan): boolean {
  return (
    plan.creates.length +
      plan.adoptions.length +
      plan.updates.length +
      plan.disables.length +
      plan.enables.length ===
    0
  );
}
