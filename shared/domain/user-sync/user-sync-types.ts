/**
 * The shapes user sync reasons about: snapshots of both sides plus the stored link between them.
 * Adapters map their wire types into these; the rules below never see a client library.
 */

/** A Workspace user as the sync rules need it. */
export interface WorkspaceUser {
  googleId: string;
  email: string;
  givenName: string;
  familyName: string;
  suspended: boolean;
  archived: boolean;
  /** Deleted in Google (listed with showDeleted, or known from a delete notification). */
  deleted: boolean;
  orgUnitPath: string;
  /** The Directory's phones[type=work] value (3CX maps Work phone to Mobile), as typed. */
  workPhone?: string;
  /** Changes whenever the photo does; absent without a photo. */
  photoEtag?: string;
}

/** The 3CX fields gw3cx owns on a synced user. */
export interface PbxUserFields {
  FirstName: string;
  LastName: string;
  EmailAddress: string;
  Mobile: string;
}

/**
 * What gw3cx writes on a synced user: the Workspace fields, and `GoogleSignInEnabled` (only ever
 * switched on) when sso is on.
 */
export interface PbxUserWrites extends Partial<PbxUserFields> {
  GoogleSignInEnabled?: true;
}

/** A 3CX user (extension) as read through the XAPI. */
export interface PbxUser extends PbxUserFields {
  id: number;
  number: string;
  enabled: boolean;
  /** Absent: not read (taken as off). */
  googleSignInEnabled?: boolean;
}

/** How a 3CX user came under gw3cx's management: only linked users are ever changed. */
export type LinkOrigin = "created" | "adopted";

/** The stored link Google user id <-> 3CX user Id. */
export interface UserLink {
  googleId: string;
  threecxId: number;
  number: string;
  origin: LinkOrigin;
  /** Set when gw3cx disabled the user, so it re-enables only what it disabled. */
  disabledByGw3cx: boolean;
  /** The photo etag last written to 3CX. */
  photoEtag?: string;
}

export type SyncScope =
  | { type: "all" }
  | { type: "allExceptSelected"; emails: readonly string[] }
  | { type: "selected"; emails: readonly string[] }
  /** Members (direct or nested) of the selected groups, resolved by the use case beforehand. */
  | { type: "selectedGroups"; memberEmails: ReadonlySet<string> }
  | { type: "selectedOrgUnits"; orgUnitPaths: readonly string[] };
