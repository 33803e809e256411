import { admin_directory_v1 } from "@googleapis/admin";
import {
  type ChannelRef,
  type Directory,
  DirectoryError,
  type DirectoryPhone,
  type DirectoryUser,
  type DirectoryUserEvent,
  type DirectoryUserPage,
  type GroupMember,
  type ListUsersOptions,
  type UserPhoto,
  type WatchChannel,
  type WatchRequest,
} from "../../ports/directory.js";
import { type CallSpec, callAsUser, toPortError, type WorkspaceAdapterOptions } from "./delegated-call.js";
import { clientOptions } from "./endpoints.js";
import { decodeWebSafeBase64 } from "./photo-data.js";
import { SCOPES } from "./scopes.js";
import { toWatchChannelFromWire, toWireWatchRequest } from "./watch-channel.js";

export interface GoogleDirectoryOptions extends WorkspaceAdapterOptions {
  /** "my_customer" or the customer id. */
  customerId: string;
  /** The Workspace admin every Directory call is made as. */
  adminSubject: string;
}

/** Partial response: only what sync needs, so a page of 500 users stays small. */
const USER_FIELDS =
  "id,primaryEmail,name(givenName,familyName,fullName),suspended,archived,deletionTime,orgUnitPath," +
  "phones,isAdmin,thumbnailPhotoEtag,organizations(title,department,primary),etag";
const USER_PAGE_FIELDS = `nextPageToken,users(${USER_FIELDS})`;
const MAX_USERS_PER_PAGE = 500;
const MAX_MEMBERS_PER_PAGE = 200;

/** Admin SDK Directory API as the configured admin (keyless delegation). */
export class GoogleDirectory implements Directory {
  private readonly admin: admin_directory_v1.Admin;

  constructor(private readonly options: GoogleDirectoryOptions) {
    this.admin = new admin_directory_v1.Admin(clientOptions(options.apiRootUrl, options.timeoutMs ?? 30_000));
  }

  async listUsersPage(options: ListUsersOptions = {}): Promise<DirectoryUserPage> {
    const response = await this.call("users.list", SCOPES.directoryUsers, (auth) =>
      this.admin.users.list(
        {
          customer: this.options.customerId,
          maxResults: Math.min(options.maxResults ?? MAX_USERS_PER_PAGE, MAX_USERS_PER_PAGE),
          pageToken: options.pageToken,
          showDeleted: options.showDeleted ? "true" : undefined,
          query: options.query,
          fields: USER_PAGE_FIELDS,
          quotaUser: this.options.adminSubject,
        },
        auth,
      ),
    );
    return {
      users: (response.data.users ?? []).map(toDirectoryUser),
      nextPageToken: response.data.nextPageToken ?? undefined,
    };
  }

  async *listUsers(options: Omit<ListUsersOptions, "pageToken"> = {}): AsyncIterable<DirectoryUser> {
    // Pages can only be read one after another, so the next one is asked for as soon as its token
    // is known, while the caller is still working through the current one.
    let next: Promise<DirectoryUserPage> | undefined = this.listUsersPage(options);
    while (next) {
      const page: DirectoryUserPage = await next;
      next = page.nextPageToken
        ? this.listUsersPage({ ...options, pageToken: page.nextPageToken })
        : undefined;
      // A consumer that stops early must not leave a failed prefetch unobserved.
      next?.catch(() => undefined);
      yield* page.users;
    }
  }

  async getUser(userKey: string): Promise<DirectoryUser | undefined> {
    return this.orUndefinedIfNotFound(async () => {
      const response = await this.call("users.get", SCOPES.directoryUsers, (auth) =>
        this.admin.users.get({ userKey, fields: USER_FIELDS, quotaUser: this.options.adminSubject }, auth),
      );
      return toDirectoryUser(response.data);
    });
  }

  async getUserPhoto(userKey: string): Promise<UserPhoto | undefined> {
    return this.orUndefinedIfNotFound(async () => {
      const response = await this.call("users.photos.get", SCOPES.directoryUsers, (auth) =>
        this.admin.users.photos.get({ userKey, quotaUser: this.options.adminSubject }, auth),
      );
      const photo = response.data;
      if (!photo.photoData) return undefined;
      return {
        data: decodeWebSafeBase64(photo.photoData),
        mimeType: photo.mimeType ?? "image/jpeg",
        width: photo.width ?? undefined,
        height: photo.height ?? undefined,
        etag: photo.etag ?? undefined,
      };
    });
  }

  async listGroupMembers(
    groupKey: string,
    options: { includeDerived?: boolean } = {},
  ): Promise<GroupMember[]> {
    const members: GroupMember[] = [];
    let pageToken: string | undefined;
    do {
      const response = await this.call("members.list", SCOPES.directoryGroupMembers, (auth) =>
        this.admin.members.list(
          {
            groupKey,
            includeDerivedMembership: options.includeDerived ?? true,
            maxResults: MAX_MEMBERS_PER_PAGE,
            pageToken,
            quotaUser: this.options.adminSubject,
          },
          auth,
        ),
      );
      for (const member of response.data.members ?? []) {
        if (!member.id) continue;
        members.push({
          id: member.id,
          email: member.email ?? undefined,
          type: member.type ?? "USER",
          role: member.role ?? undefined,
          status: member.status ?? undefined,
        });
      }
      pageToken = response.data.nextPageToken ?? undefined;
    } while (pageToken);
    return members;
  }

  async hasGroupMember(groupKey: string, memberKey: string): Promise<boolean> {
    const response = await this.call("members.hasMember", SCOPES.directoryGroupMembers, (auth) =>
      this.admin.members.hasMember({ groupKey, memberKey, quotaUser: this.options.adminSubject }, auth),
    );
    return response.data.isMember === true;
  }

  async watchUsers(event: DirectoryUserEvent, request: WatchRequest): Promise<WatchChannel> {
    const response = await this.call("users.watch", SCOPES.directoryUsers, (auth) =>
      this.admin.users.watch(
        {
          customer: this.options.customerId,
          event,
          quotaUser: this.options.adminSubject,
          requestBody: toWireWatchRequest(request),
        },
        auth,
      ),
    );
    return toWatchChannelFromWire(response.data, request.channelId);
  }

  async stopChannel(channel: ChannelRef): Promise<void> {
    await this.call("channels.stop", SCOPES.directoryUsers, (auth) =>
      this.admin.channels.stop(
        { requestBody: { id: channel.channelId, resourceId: channel.resourceId } },
        auth,
      ),
    );
  }

  private async call<T>(
    operation: string,
    scopes: readonly string[],
    run: Parameters<typeof callAsUser<T>>[2],
  ): Promise<T> {
    const spec: CallSpec = { api: "directory", operation, subject: this.options.adminSubject, scopes };
    try {
      return await callAsUser(this.options, spec, run);
    } catch (error) {
      throw toPortError(
        error,
        (failure, options) =>
          new DirectoryError(failure.failure, `Directory ${operation} failed: ${failure.message}`, options),
      );
    }
  }

  private async orUndefinedIfNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof DirectoryError && error.failure === "NOT_FOUND") return undefined;
      throw error;
    }
  }
}

function toDirectoryPhones(phones: unknown): DirectoryPhone[] {
  if (!Array.isArray(phones)) return [];
  return phones
    .filter(
      (p): p is Record<string, unknown> => typeof p === "object" && p !== null && typeof p.value === "string",
    )
    .map((p) => ({
      value: p.value as string,
      type: typeof p.type === "string" ? p.type : "other",
      customType: typeof p.customType === "string" ? p.customType : undefined,
      primary: p.primary === true,
    }));
}

function primaryOrganization(organizations: unknown): { title?: string; department?: string } | undefined {
  if (!Array.isArray(organizations) || organizations.length === 0) return undefined;
  const orgs = organizations as Array<{ title?: string; department?: string; primary?: boolean }>;
  return orgs.find((o) => o.primary) ?? orgs[0];
}

export function toDirectoryUser(user: admin_directory_v1.Schema$User): DirectoryUser {
  const organization = primaryOrganization(user.organizations);
  return {
    id: user.id ?? "",
    primaryEmail: user.primaryEmail ?? "",
    givenName: user.name?.givenName ?? "",
    familyName: user.name?.familyName ?? "",
    fullName: user.name?.fullName ?? [user.name?.givenName, user.name?.familyName].filter(Boolean).join(" "),
    suspended: user.suspended === true,
    archived: user.archived === true,
    deleted: Boolean(user.deletionTime),
    orgUnitPath: user.orgUnitPath ?? "/",
    phones: toDirectoryPhones(user.phones),
    isAdmin: user.isAdmin === true,
    thumbnailPhotoEtag: user.thumbnailPhotoEtag ?? undefined,
    jobTitle: organization?.title,
    department: organization?.department,
    etag: user.etag ?? undefined,
  };
}
