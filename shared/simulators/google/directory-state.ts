import { createHash } from "node:crypto";
import { quotedEtag, userIdFor } from "./ids.js";
import type { SeedUser } from "./seed.js";

export interface SimPhone {
  value: string;
  type: string;
  customType?: string;
  primary?: boolean;
}

export interface SimPhoto {
  data: Buffer;
  mimeType: string;
  width: number;
  height: number;
  etag: string;
}

export interface SimUser {
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  orgUnitPath: string;
  isAdmin: boolean;
  suspended: boolean;
  archived: boolean;
  deletionTime?: string;
  phones: SimPhone[];
  organizations: Array<{ title?: string; department?: string; primary?: boolean }>;
  photo?: SimPhoto;
  timeZone: string;
  creationTime: string;
  etag: string;
}

export type UserEvent = "add" | "delete" | "update" | "undelete" | "makeAdmin";

export interface UserPatch {
  primaryEmail?: string;
  givenName?: string;
  familyName?: string;
  orgUnitPath?: string;
  isAdmin?: boolean;
  suspended?: boolean;
  archived?: boolean;
  phones?: SimPhone[];
  organizations?: SimUser["organizations"];
  timeZone?: string;
}

export interface SimGroup {
  id: string;
  email: string;
  name: string;
  members: Array<{ email: string; type: "USER" | "GROUP"; role: string }>;
}

export class SimError extends Error {}

/**
 * Users, org units and groups of the simulated tenant. Listing order is by email, kept as a sorted
 * array rebuilt only after a change, so paging 10,000 users costs a binary search per page.
 */
export class DirectoryState {
  private readonly users = new Map<string, SimUser>();
  private readonly idByEmail = new Map<string, string>();
  private readonly groups = new Map<string, SimGroup>();
  readonly orgUnits = new Set<string>(["/"]);
  private sortedCache: { active: SimUser[]; deleted: SimUser[] } | undefined;
  private nextOrdinal = 1;

  constructor(
    private readonly now: () => number,
    private readonly onChange: (event: UserEvent, user: SimUser) => void,
  ) {}

  addUser(input: SeedUser, options: { silent?: boolean } = {}): SimUser {
    const email = input.primaryEmail.toLowerCase();
    if (this.idByEmail.has(email)) throw new SimError(`user ${email} already exists`);
    const id = input.id ?? userIdFor(this.nextOrdinal++);
    const user: SimUser = {
      id,
      primaryEmail: email,
      givenName: input.givenName,
      familyName: input.familyName,
      orgUnitPath: input.orgUnitPath ?? "/",
      isAdmin: input.isAdmin ?? false,
      suspended: input.suspended ?? false,
      archived: input.archived ?? false,
      deletionTime: input.deleted ? new Date(this.now()).toISOString() : undefined,
      phones: (input.phones ?? []).map((p) => ({ ...p, type: p.type ?? "work" })),
      organizations: input.organizations ?? [],
      photo: input.photo
        ? photoOf(Buffer.from(input.photo.base64, "base64"), input.photo.mimeType ?? "image/jpeg")
        : undefined,
      timeZone: input.timeZone ?? "UTC",
      creationTime: new Date(this.now()).toISOString(),
      etag: quotedEtag(),
    };
    this.users.set(id, user);
    this.idByEmail.set(email, id);
    this.orgUnits.add(user.orgUnitPath);
    this.sortedCache = undefined;
    if (!options.silent) this.onChange("add", user);
    return user;
  }

  /** By id or primary email, deleted users included. */
  find(userKey: string): SimUser | undefined {
    const byId = this.users.get(userKey);
    if (byId) return byId;
    const id = this.idByEmail.get(userKey.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  /** Active (not deleted) user, as users.get and delegation see it. */
  findActive(userKey: string): SimUser | undefined {
    const user = this.find(userKey);
    return user && !user.deletionTime ? user : undefined;
  }

  require(userKey: string): SimUser {
    const user = this.find(userKey);
    if (!user) throw new SimError(`no user ${userKey}`);
    return user;
  }

  updateUser(userKey: string, patch: UserPatch): SimUser {
    const user = this.require(userKey);
    const becameAdmin = patch.isAdmin === true && !user.isAdmin;
    if (patch.primaryEmail && patch.primaryEmail.toLowerCase() !== user.primaryEmail) {
      const email = patch.primaryEmail.toLowerCase();
      if (this.idByEmail.has(email)) throw new SimError(`user ${email} already exists`);
      this.idByEmail.delete(user.primaryEmail);
      this.idByEmail.set(email, user.id);
      user.primaryEmail = email;
    }
    for (const key of [
      "givenName",
      "familyName",
      "orgUnitPath",
      "isAdmin",
      "suspended",
      "archived",
      "phones",
      "organizations",
      "timeZone",
    ] as const) {
      if (patch[key] !== undefined) (user as unknown as Record<string, unknown>)[key] = patch[key];
    }
    this.orgUnits.add(user.orgUnitPath);
    user.etag = quotedEtag();
    this.sortedCache = undefined;
    this.onChange(becameAdmin ? "makeAdmin" : "update", user);
    return user;
  }

  setPhoto(userKey: string, data: Buffer | undefined, mimeType = "image/jpeg"): SimUser {
    const user = this.require(userKey);
    user.photo = data ? photoOf(data, mimeType) : undefined;
    user.etag = quotedEtag();
    this.onChange("update", user);
    return user;
  }

  deleteUser(userKey: string): SimUser {
    const user = this.require(userKey);
    if (user.deletionTime) throw new SimError(`user ${userKey} is already deleted`);
    user.deletionTime = new Date(this.now()).toISOString();
    user.etag = quotedEtag();
    this.sortedCache = undefined;
    this.onChange("delete", user);
    return user;
  }

  undeleteUser(userKey: string): SimUser {
    const user = this.require(userKey);
    if (!user.deletionTime) throw new SimError(`user ${userKey} is not deleted`);
    user.deletionTime = undefined;
    user.etag = quotedEtag();
    this.sortedCache = undefined;
    this.onChange("undelete", user);
    return user;
  }

  /** Users sorted by email: active ones, or (showDeleted) only the deleted ones, as Google lists them. */
  sorted(deleted: boolean): SimUser[] {
    if (!this.sortedCache) {
      const all = [...this.users.values()].sort((a, b) => (a.primaryEmail < b.primaryEmail ? -1 : 1));
      this.sortedCache = {
        active: all.filter((u) => !u.deletionTime),
        deleted: all.filter((u) => u.deletionTime),
      };
    }
    return deleted ? this.sortedCache.deleted : this.sortedCache.active;
  }

  allUsers(): IterableIterator<SimUser> {
    return this.users.values();
  }

  addGroup(input: { id?: string; email: string; name?: string; members?: SimGroup["members"] }): SimGroup {
    const group: SimGroup = {
      id: input.id ?? `0${createHash("sha1").update(input.email).digest("hex").slice(0, 14)}`,
      email: input.email.toLowerCase(),
      name: input.name ?? input.email,
      members: (input.members ?? []).map((m) => ({ ...m, email: m.email.toLowerCase() })),
    };
    this.groups.set(group.email, group);
    return group;
  }

  findGroup(groupKey: string): SimGroup | undefined {
    return (
      this.groups.get(groupKey.toLowerCase()) ?? [...this.groups.values()].find((g) => g.id === groupKey)
    );
  }

  addGroupMember(groupKey: string, member: { email: string; type?: "USER" | "GROUP"; role?: string }): void {
    const group = this.findGroup(groupKey);
    if (!group) throw new SimError(`no group ${groupKey}`);
    const email = member.email.toLowerCase();
    if (group.members.some((m) => m.email === email)) return;
    group.members.push({ email, type: member.type ?? "USER", role: member.role ?? "MEMBER" });
  }

  removeGroupMember(groupKey: string, memberKey: string): void {
    const group = this.findGroup(groupKey);
    if (!group) throw new SimError(`no group ${groupKey}`);
    const user = this.find(memberKey);
    const email = (user?.primaryEmail ?? memberKey).toLowerCase();
    group.members = group.members.filter((m) => m.email !== email);
  }

  /** Members of a group; with `derived`, nested groups are flattened into their user members. */
  membersOf(group: SimGroup, derived: boolean, seen = new Set<string>()): SimGroup["members"] {
    if (seen.has(group.email)) return [];
    seen.add(group.email);
    const out: SimGroup["members"] = [];
    for (const member of group.members) {
      const nested = member.type === "GROUP" ? this.findGroup(member.email) : undefined;
      if (derived && nested) {
        out.push(member, ...this.membersOf(nested, true, seen));
      } else {
        out.push(member);
      }
    }
    const unique = new Map(out.map((m) => [m.email, m]));
    return [...unique.values()];
  }
}

function photoOf(data: Buffer, mimeType: string): SimPhoto {
  return {
    data,
    mimeType,
    width: 96,
    height: 96,
    etag: `"${createHash("sha1").update(data).digest("base64url")}"`,
  };
}
