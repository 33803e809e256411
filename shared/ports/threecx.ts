import { Gw3cxError } from "../errors.js";

/**
 * The 3CX phone system as gw3cx uses it (v20 XAPI). Entity types keep the XAPI property names,
 * so a field in a log or a plan reads the same as in the 3CX admin console and API.
 * Every call may throw ThreeCxError.
 */

/** Profile names as XAPI spells them; "Out of office" is shown as Do Not Disturb. */
export const THREECX_PROFILE_NAMES = ["Available", "Away", "Out of office", "Custom 1", "Custom 2"] as const;
export type ThreeCxProfileName = (typeof THREECX_PROFILE_NAMES)[number];

export interface ThreeCxUser {
  Id: number;
  /** The extension number; it never changes once the user exists. */
  Number: string;
  FirstName: string | null;
  LastName: string | null;
  EmailAddress: string | null;
  Mobile: string | null;
  Enabled: boolean;
  CurrentProfileName: string | null;
  GoogleSignInEnabled: boolean | null;
  /** Undocumented in the spec (a string); what gw3cx writes there is unverified against a real PBX. */
  ContactImage: string | null;
  /** The department the user belongs to first. */
  PrimaryGroupId: number | null;
}

/**
 * A user as a listing returns it: everything but the photo, which nothing reads back from a list
 * and which would make each page of a PBX with photos megabytes long.
 */
export type ThreeCxUserSummary = Omit<ThreeCxUser, "ContactImage">;

/** What presence reads of a user: `CurrentProfileName` and `ForwardingProfile.CustomMessage` by profile name. */
export interface ThreeCxPresence {
  profile: string | null;
  messages: Record<string, string | null>;
}

/** One change of a user's presence: status messages by profile name (null clears one) and the profile. */
export interface ThreeCxPresenceChange {
  profile?: ThreeCxProfileName;
  messages?: Record<string, string | null>;
}

/** Department membership and the role in it (3CX v20 sets both through User.Groups). */
export interface ThreeCxGroupMembership {
  GroupId: number;
  /** e.g. "users", "managers", "group_admins", "system_owners". */
  RoleName: string;
}

/** Fields gw3cx may write; Number is set once at creation and Id never. */
export type ThreeCxWritableUserFields = Pick<
  ThreeCxUser,
  "FirstName" | "LastName" | "EmailAddress" | "Mobile" | "Enabled" | "GoogleSignInEnabled" | "ContactImage"
>;

export interface NewThreeCxUser extends Partial<ThreeCxWritableUserFields> {
  Number: string;
  /** Omitted: the PBX puts the user in its default department as "users". */
  Groups?: readonly ThreeCxGroupMembership[];
}

export interface ThreeCxUserChanges extends Partial<ThreeCxWritableUserFields> {
  /** Replaces the user's department memberships. */
  Groups?: readonly ThreeCxGroupMembership[];
}

/** Equality filters for listUsers; email compares case-insensitively. */
export interface ThreeCxUserQuery {
  emailAddress?: string;
  number?: string;
  enabled?: boolean;
}

/** Pbx.PeerType of a numbered DN. */
export type ThreeCxDnType =
  | "None"
  | "Extension"
  | "Queue"
  | "RingGroup"
  | "IVR"
  | "Fax"
  | "Conference"
  | "SpecialMenu"
  | "Parking"
  | "ExternalLine"
  | "Group"
  | "RoutePoint";

/** Anything that holds a number on the PBX: users, queues, ring groups, IVRs, departments, ... */
export interface ThreeCxDn {
  Id: number;
  Number: string;
  Name: string | null;
  Type: ThreeCxDnType | null;
}

export interface ThreeCxDepartment {
  Id: number;
  Name: string | null;
  Number: string | null;
}

export type ThreeCxContactSource = "3CX" | "CRM" | "Google" | "M365";

/** A personal contact of one extension (Pbx.Contact); there is no photo field. */
export interface ThreeCxContact {
  Id: number;
  FirstName: string | null;
  LastName: string | null;
  CompanyName: string | null;
  Department: string | null;
  Title: string | null;
  Email: string | null;
  /** The mobile number slot. */
  PhoneNumber: string | null;
  Mobile2: string | null;
  Home: string | null;
  Business: string | null;
  Business2: string | null;
  BusinessFax: string | null;
  Pager: string | null;
  Other: string | null;
  ContactType: ThreeCxContactSource | null;
  Tag: string | null;
}

/** Fields of a contact gw3cx writes: a value, or null to clear it. */
export type ThreeCxContactFields = Partial<Omit<ThreeCxContact, "Id">>;

export interface ThreeCxPersonalContactLimit {
  departmentId: number;
  /** null: the PBX states none. */
  maxCount: number | null;
}

// ---- system settings (XAPI singletons) -------------------------------------------------------

export interface ThreeCxConcealedPassword {
  /** On read: whether a secret is set. The secret itself is never read back. */
  Concealed?: boolean | null;
  Value?: string | null;
}

export interface ThreeCxConcealedDataFile {
  Concealed?: boolean | null;
  Contents?: string | null;
  Name?: string | null;
}

export interface ThreeCxGoogleUserSync {
  IsEnabled?: boolean | null;
  IsSyncDepartments?: boolean | null;
  IsSyncPersonalContacts?: boolean | null;
  IsSyncPhoto?: boolean | null;
  SelectedUsers?: string[];
  StartingExtensionNumber?: string | null;
  SyncType?: string | null;
  UseCalendarEventsAsPresence?: boolean | null;
}

export interface ThreeCxGoogleSettings {
  Id?: string;
  ClientId?: string | null;
  ClientSecret?: ThreeCxConcealedPassword | null;
  IsExtensionSignInEnabled?: boolean | null;
  ProjectId?: string | null;
  ProvisionUrl?: string | null;
  ReCaptchaEnabled?: boolean | null;
  UserSync?: ThreeCxGoogleUserSync | null;
}

export interface ThreeCxMailSettings {
  CanEditMailServerType?: boolean | null;
  MailAddress?: string | null;
  MailPassword?: ThreeCxConcealedPassword;
  MailServer?: string | null;
  MailServerType?: "Tcx" | "MS365" | "Custom" | "GoogleWorkspace";
  MailSslEnabled?: boolean | null;
  MailUser?: string | null;
}

export interface ThreeCxArchiveSubsystem {
  Archiving?: boolean | null;
  Enabled?: boolean | null;
  Folder?: string | null;
  ScheduleDays?: number | null;
}

export type ThreeCxFileSystemType =
  | "Local"
  | "Ftp"
  | "GoogleDrive"
  | "NetworkShare"
  | "Logs"
  | "Sftp"
  | "GoogleBucket"
  | "SharePoint"
  | "AmazonS3";

export interface ThreeCxLocationSettings {
  FileSystemType?: ThreeCxFileSystemType;
  GbJson?: ThreeCxConcealedDataFile;
  GbPath?: string | null;
  LocalPath?: string | null;
  S3Path?: string | null;
  FtpPath?: string | null;
  SftpPath?: string | null;
  NsPath?: string | null;
  SharePointPath?: string | null;
}

export interface ThreeCxRemoteArchivingSettings {
  Id?: number;
  Location?: ThreeCxLocationSettings;
  Backups?: ThreeCxArchiveSubsystem;
  Chats?: ThreeCxArchiveSubsystem;
  Faxes?: ThreeCxArchiveSubsystem;
  Recordings?: ThreeCxArchiveSubsystem;
  Voicemails?: ThreeCxArchiveSubsystem;
}

export interface ThreeCxVoicemailSettings {
  Id?: number;
  AutoDeleteDays?: number | null;
  AutoDeleteEnabled?: boolean | null;
  Extension?: string | null;
  MinDuration?: number | null;
  Quota?: number | null;
  RemoteStorageEnabled?: boolean | null;
  TranscribeEngine?: "None" | "Google" | "OpenAI" | "Whisper" | "Engine3CX" | "Engine3CXLocal" | "Grok";
  TranscribeLanguage?: string | null;
  TranscribeRegion?: string | null;
  TranscribeSecretKey?: ThreeCxConcealedPassword;
}

export interface ThreeCxSettingsByName {
  GoogleSettings: ThreeCxGoogleSettings;
  MailSettings: ThreeCxMailSettings;
  RemoteArchivingSettings: ThreeCxRemoteArchivingSettings;
  VoicemailSettings: ThreeCxVoicemailSettings;
}
export type ThreeCxSettingsName = keyof ThreeCxSettingsByName;

// ---- the port --------------------------------------------------------------------------------

export interface ThreeCx {
  /** Every user matching the query, read page by page (XAPI has no nextLink). */
  listUsers(query?: ThreeCxUserQuery): Promise<ThreeCxUserSummary[]>;
  getUser(id: number): Promise<ThreeCxUser | undefined>;
  getUserByNumber(number: string): Promise<ThreeCxUser | undefined>;
  /** Refused with an error isNumberInUse() recognises when some DN already holds user.Number. */
  createUser(user: NewThreeCxUser): Promise<ThreeCxUser>;
  /** PATCHes exactly the given fields; nothing is sent when `changes` is empty. */
  updateUser(id: number, changes: ThreeCxUserChanges): Promise<void>;
  setUserEnabled(id: number, enabled: boolean): Promise<void>;
  /** The PBX's own choice of the next free extension number. */
  getFirstAvailableExtensionNumber(): Promise<string>;
  /**
   * Every numbered DN (users, queues, ring groups, IVRs, departments, ...): the numbers in use.
   * `exceptUserExtensions` leaves out the DNs of type Extension, which are the users themselves:
   * a caller that has just listed the users already holds those numbers (one page instead of one
   * per thousand users).
   */
  listDns(options?: { exceptUserExtensions?: boolean }): Promise<ThreeCxDn[]>;
  listDepartments(): Promise<ThreeCxDepartment[]>;
  listUserGroups(userId: number): Promise<ThreeCxGroupMembership[]>;

  getCurrentProfileName(userId: number): Promise<string | null>;
  setCurrentProfileName(userId: number, profileName: ThreeCxProfileName): Promise<void>;
  /** Names of the user's forwarding profiles, as CurrentProfileName accepts them. */
  listForwardingProfileNames(userId: number): Promise<string[]>;
  /** The current profile and each forwarding profile's CustomMessage (the status text), in one read. */
  getPresence(userId: number): Promise<ThreeCxPresence>;
  /** Sets (or clears, with null) the CustomMessage of one of the user's forwarding profiles. */
  setForwardingProfileMessage(userId: number, profileName: string, message: string | null): Promise<void>;
  /**
   * The messages and the profile in one PATCH of the user: one 3CX write per presence change, and
   * a profile never shows without its message. Nothing is sent for an empty change.
   */
  setPresence(userId: number, change: ThreeCxPresenceChange): Promise<void>;

  /** Personal contacts of an extension (XAPI 20.0.9 and newer). */
  listPersonalContacts(extensionNumber: string): Promise<ThreeCxContact[]>;
  createPersonalContact(extensionNumber: string, contact: ThreeCxContactFields): Promise<ThreeCxContact>;
  updateContact(id: number, changes: ThreeCxContactFields): Promise<void>;
  deleteContacts(ids: readonly number[]): Promise<void>;
  /** The PBX's version (SystemStatus.Version, e.g. "20.0.10.900"); null when it does not say. */
  getSystemVersion(): Promise<string | null>;
  /** Each department's most personal contacts per extension (Group.Props.PersonalContactsMaxCount). */
  listPersonalContactLimits(): Promise<ThreeCxPersonalContactLimit[]>;

  getSettings<K extends ThreeCxSettingsName>(name: K): Promise<ThreeCxSettingsByName[K]>;
  updateSettings<K extends ThreeCxSettingsName>(name: K, changes: ThreeCxSettingsByName[K]): Promise<void>;
}

/** The fields of `desired` whose value differs from `current`: what a PATCH should carry. */
export function changedUserFields(
  current: ThreeCxUser,
  desired: Partial<ThreeCxWritableUserFields>,
): Partial<ThreeCxWritableUserFields> {
  const changes: Partial<Record<keyof ThreeCxWritableUserFields, unknown>> = {};
  for (const key of Object.keys(desired) as (keyof ThreeCxWritableUserFields)[]) {
    const value = desired[key];
    if (value !== undefined && value !== current[key]) changes[key] = value;
  }
  return changes as Partial<ThreeCxWritableUserFields>;
}

export type ThreeCxErrorCode =
  /** 400: the PBX refused the request; `warning` holds its WARNINGS.* code, `target` the field. */
  | "THREECX_REJECTED"
  /** The API client id/secret were refused, or a fresh token was refused too. */
  | "THREECX_AUTH_FAILED"
  /** 403: the API client lacks a role (3CX needs System Owner for some endpoints). */
  | "THREECX_FORBIDDEN"
  | "THREECX_NOT_FOUND"
  /** 429 that outlasted the retries. */
  | "THREECX_RATE_LIMITED"
  /** 5xx that outlasted the retries. */
  | "THREECX_UNAVAILABLE"
  | "THREECX_TIMEOUT"
  /** The connection failed or was reset. */
  | "THREECX_NETWORK"
  /** No connection to the PBX could be made (refused, unknown host, or none within the connect timeout). */
  | "THREECX_UNREACHABLE"
  /** The PBX answered with something the client cannot read. */
  | "THREECX_PROTOCOL";

export interface ThreeCxErrorDetails {
  /** The XAPI operation (spec operationId), e.g. "CreateUser". */
  operation: string;
  status?: number;
  /** The PBX's WARNINGS.* code, e.g. "WARNINGS.XAPI.ALREADY_IN_USE". */
  warning?: string;
  /** The property the PBX names, e.g. "Number". */
  target?: string;
  /** After retries: the PBX's base URL and how many attempts were made. */
  url?: string;
  attempts?: number;
}

export class ThreeCxError extends Gw3cxError<ThreeCxErrorCode> {
  readonly operation: string;
  readonly status: number | undefined;
  readonly warning: string | undefined;
  readonly target: string | undefined;
  /** How long the PBX asked to wait (Retry-After), when it said so. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ThreeCxErrorCode,
    message: string,
    info: ThreeCxErrorDetails,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(code, message, {
      cause: options.cause,
      details: Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined)),
    });
    this.operation = info.operation;
    this.status = info.status;
    this.warning = info.warning;
    this.target = info.target;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** How the PBX names a number some DN already holds (ALREADY_IN_USE; some builds say DUPLICATE). */
const NUMBER_IN_USE_WARNINGS = new Set(["WARNINGS.XAPI.ALREADY_IN_USE", "WARNINGS.XAPI.DUPLICATE"]);

/** A create refused because its extension number is taken: another number may well go through. */
export function isNumberInUse(error: unknown): boolean {
  return (
    error instanceof ThreeCxError &&
    error.code === "THREECX_REJECTED" &&
    error.target === "Number" &&
    error.warning !== undefined &&
    NUMBER_IN_USE_WARNINGS.has(error.warning)
  );
}
