import { Gw3cxError } from "../errors.js";

/** A phone number as the Directory holds it (type: work, mobile, home, work_mobile, custom, ...). */
export interface DirectoryPhone {
  value: string;
  type: string;
  customType?: string;
  primary: boolean;
}

/** A Workspace user, shaped for sync decisions rather than for the wire. */
export interface DirectoryUser {
  /** Stable Google user id: the link key, survives email renames. */
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  fullName: string;
  suspended: boolean;
  archived: boolean;
  /** True for users listed with showDeleted (deleted within the last 20 days). */
  deleted: boolean;
  /** "/" is the top-level org unit. */
  orgUnitPath: string;
  phones: DirectoryPhone[];
  isAdmin: boolean;
  /** Changes whenever the photo changes; absent when the user has no photo. */
  thumbnailPhotoEtag?: string;
  jobTitle?: string;
  department?: string;
  /** ETag of the user resource: cheap change detection. */
  etag?: string;
}

export interface DirectoryUserPage {
  users: DirectoryUser[];
  nextPageToken?: string;
}

export interface ListUsersOptions {
  pageToken?: string;
  /** 1-500; the adapter defaults to the maximum, 500. */
  maxResults?: number;
  /** Lists only users deleted within the last 20 days (the Directory's own meaning of showDeleted). */
  showDeleted?: boolean;
  /** The Directory's search syntax, e.g. "orgUnitPath='/Sales'". */
  query?: string;
}

export interface UserPhoto {
  data: Buffer;
  mimeType: string;
  width?: number;
  height?: number;
  etag?: string;
}

export interface GroupMember {
  id: string;
  email?: string;
  /** USER, GROUP or CUSTOMER. */
  type: string;
  role?: string;
  status?: string;
}

export type DirectoryUserEvent = "add" | "delete" | "update" | "undelete" | "makeAdmin";

export interface WatchRequest {
  /** Unique per channel (a UUID); never reuse one when renewing. */
  channelId: string;
  /** The HTTPS endpoint that receives notifications. */
  address: string;
  /** Echoed back in X-Goog-Channel-Token; verified in constant time. */
  token: string;
  ttlSeconds?: number;
}

/** What Google answers to a watch: enough to verify notifications and to stop the channel. */
export interface WatchChannel {
  channelId: string;
  resourceId: string;
  resourceUri: string;
  expiration?: Date;
}

export interface ChannelRef {
  channelId: string;
  resourceId: string;
}

/** The Workspace user directory (Admin SDK Directory API in the cloud). */
export interface Directory {
  listUsersPage(options?: ListUsersOptions): Promise<DirectoryUserPage>;
  /** Every user, page by page (500 a page unless maxResults says otherwise). */
  listUsers(options?: Omit<ListUsersOptions, "pageToken">): AsyncIterable<DirectoryUser>;
  /** undefined when the user does not exist (or is deleted). */
  getUser(userKey: string): Promise<DirectoryUser | undefined>;
  /** undefined when the user has no photo. */
  getUserPhoto(userKey: string): Promise<UserPhoto | undefined>;
  /** Direct and (with includeDerived) indirect members of a group. */
  listGroupMembers(groupKey: string, options?: { includeDerived?: boolean }): Promise<GroupMember[]>;
  /** Whether the user is a member of the group, directly or through nested groups. */
  hasGroupMember(groupKey: string, memberKey: string): Promise<boolean>;
  watchUsers(event: DirectoryUserEvent, request: WatchRequest): Promise<WatchChannel>;
  stopChannel(channel: ChannelRef): Promise<void>;
}

/**
 * Failures every Workspace port shares. NOT_AUTHORIZED covers both a delegation that lacks a scope
 * and an API that refuses the caller; RATE_LIMITED and UNAVAILABLE are what remained after retries.
 */
export type WorkspaceFailure =
  | "NOT_AUTHORIZED"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INVALID_REQUEST"
  | "FAILED";

export interface WorkspaceErrorOptions {
  cause?: unknown;
  /** Google's machine reason, e.g. rateLimitExceeded, userRateLimitExceeded, notFound, unauthorized_client. */
  reason?: string;
  /** HTTP status of the last attempt, when there was a response. */
  status?: number;
  details?: Record<string, unknown>;
}

/** Base of the Workspace port errors: a stable code plus Google's own reason. */
export class WorkspaceError<Code extends string = string> extends Gw3cxError<Code> {
  readonly failure: WorkspaceFailure;
  readonly reason?: string;
  readonly status?: number;

  constructor(code: Code, failure: WorkspaceFailure, message: string, options: WorkspaceErrorOptions = {}) {
    super(code, message, {
      cause: options.cause,
      details: { ...options.details, reason: options.reason, status: options.status },
    });
    this.failure = failure;
    this.reason = options.reason;
    this.status = options.status;
  }
}

export class DirectoryError extends WorkspaceError<`DIRECTORY_${WorkspaceFailure}`> {
  constructor(failure: WorkspaceFailure, message: string, options: WorkspaceErrorOptions = {}) {
    super(`DIRECTORY_${failure}`, failure, message, options);
  }
}
