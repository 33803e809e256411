/**
 * The simulated PBX: users, departments (groups), other DNs, personal contacts and the system
 * settings, plus the rules a real PBX enforces beyond the spec. Indexed so that a 10,000-user
 * PBX answers lookups by number or email in O(1).
 */
import { assertContactFieldLimits, assertFieldLimits } from "./field-limits.js";
import { ruleViolation, SimError } from "./odata/odata-error.js";

export type Entity = Record<string, unknown>;

/** Roles of v20 department membership (Rights.RoleName). */
export const ROLE_NAMES = [
  "system_owners",
  "system_admins",
  "group_owners",
  "managers",
  "group_admins",
  "receptionists",
  "users",
] as const;

export const SETTINGS_NAMES = [
  "GoogleSettings",
  "MailSettings",
  "RemoteArchivingSettings",
  "VoicemailSettings",
] as const;
export type SettingsName = (typeof SETTINGS_NAMES)[number];

export const DEFAULT_PROFILE_NAMES = ["Available", "Away", "Out of office", "Custom 1", "Custom 2"];

/** Properties every simulated user carries (null when unset), as GET without $select returns them. */
const USER_DEFAULTS: Entity = {
  FirstName: null,
  LastName: null,
  DisplayName: null,
  EmailAddress: null,
  Mobile: null,
  OutboundCallerID: null,
  Enabled: true,
  CurrentProfileName: "Available",
  ContactImage: null,
  GoogleSignInEnabled: false,
  GoogleCalendarEnabled: false,
  GoogleContactsEnabled: false,
  Require2FA: false,
  VMEnabled: true,
  HideInPhonebook: false,
  Internal: false,
  IsRegistered: false,
  Language: null,
  PrimaryGroupId: null,
};

export interface Membership {
  GroupId: number;
  RoleName: string;
}

export interface DnRecord {
  Id: number;
  Number: string;
  Name: string | null;
  /** Pbx.PeerType: Extension, Queue, RingGroup, IVR, Fax, Group, ... */
  Type: string;
}

interface ContactRecord {
  owner: string;
  entity: Entity;
}

export interface PbxStateOptions {
  /** First number GetFirstAvailableExtensionNumber hands out; its length is the extension length. */
  extensionStart?: string;
  profileNames?: readonly string[];
  /**
   * Refuse a second user with an email another user has (WARNINGS.XAPI.DUPLICATE). Off by default:
   * the spec's HasDuplicatedEmail / GetDuplicatedEmails show a PBX can hold duplicates.
   */
  uniqueEmails?: boolean;
  /** What SystemStatus reports as Version (default a 20.0.10 build). */
  version?: string;
  /** Group.Props.PersonalContactsMaxCount of every department; null: not stated. */
  personalContactsMaxCount?: number | null;
}

function lowerEmail(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value.toLowerCase() : undefined;
}

function isPlainObject(value: unknown): value is Entity {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** PATCH semantics for complex values: objects merge property by property, everything else replaces. */
export function mergePatch(target: Entity, patch: Entity): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("@odata.")) continue;
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) mergePatch(current, value);
    else target[key] = structuredClone(value);
  }
}

export class PbxState {
  readonly users = new Map<number, Entity>();
  readonly memberships = new Map<number, Membership[]>();
  readonly profiles = new Map<number, Entity[]>();
  readonly groups = new Map<number, Entity>();
  /** Every numbered DN (users, groups, queues, ...) by Id: what /Peers lists. */
  readonly dns = new Map<number, DnRecord>();
  readonly contacts = new Map<number, ContactRecord>();
  readonly settings: Record<SettingsName, Entity>;
  readonly extensionStart: string;
  private readonly profileNames: readonly string[];
  private readonly idByNumber = new Map<string, number>();
  /** Users by lower-case email; more than one when the PBX holds duplicates. */
  private readonly userIdsByEmail = new Map<string, Set<number>>();
  private readonly uniqueEmails: boolean;
  private readonly contactIdsByOwner = new Map<string, Set<number>>();
  readonly version: string;
  readonly personalContactsMaxCount: number | null;
  private nextDnId = 1;
  private nextContactId = 1;
  private nextProfileId = 1;

  constructor(options: PbxStateOptions = {}) {
    this.extensionStart = options.extensionStart ?? "100";
    this.profileNames = options.profileNames ?? DEFAULT_PROFILE_NAMES;
    this.uniqueEmails = options.uniqueEmails ?? false;
    this.version = options.version ?? "20.0.10.900";
    this.personalContactsMaxCount = options.personalContactsMaxCount ?? null;
    this.settings = {
      GoogleSettings: {
        Id: "Google",
        ClientId: null,
        ClientSecret: { Concealed: false, Value: null },
        IsExtensionSignInEnabled: false,
        ProjectId: null,
        ProvisionUrl: null,
        ReCaptchaEnabled: false,
        UserSync: {
          IsEnabled: false,
          IsSyncDepartments: false,
          IsSyncPersonalContacts: false,
          IsSyncPhoto: false,
          SelectedUsers: [],
          StartingExtensionNumber: null,
          SyncType: "SyncAllUsers",
          UseCalendarEventsAsPresence: false,
        },
      },
      MailSettings: {
        CanEditMailServerType: true,
        MailAddress: null,
        MailPassword: { Concealed: false, Value: null },
        MailServer: null,
        MailServerType: "Tcx",
        MailSslEnabled: true,
        MailUser: null,
      },
      RemoteArchivingSettings: {
        Id: 1,
        Backups: { Archiving: false, Enabled: false, Folder: "backups", ScheduleDays: 0 },
        Chats: { Archiving: false, Enabled: false, Folder: "chats", ScheduleDays: 0 },
        Faxes: { Archiving: false, Enabled: false, Folder: "faxes", ScheduleDays: 0 },
        Recordings: { Archiving: false, Enabled: false, Folder: "recordings", ScheduleDays: 0 },
        Voicemails: { Archiving: false, Enabled: false, Folder: "voicemails", ScheduleDays: 0 },
        Location: {
          FileSystemType: "Local",
          GbPath: null,
          GbJson: { Concealed: false, Contents: null, Name: null },
        },
      },
      VoicemailSettings: {
        Id: 1,
        AutoDeleteDays: 0,
        AutoDeleteEnabled: false,
        Extension: "999",
        MinDuration: 2,
        Quota: 0,
        RemoteStorageEnabled: false,
        TranscribeEngine: "None",
        TranscribeKeyGrok: { Concealed: false, Value: null },
        TranscribeLanguage: null,
        TranscribeSecretKey: { Concealed: false, Value: null },
      },
    };
  }

  // ---- DNs ---------------------------------------------------------------------------------

  isNumberTaken(number: string): boolean {
    return this.idByNumber.has(number);
  }

  addDn(number: string, name: string | null, type: string): DnRecord {
    if (this.idByNumber.has(number)) {
      throw ruleViolation("WARNINGS.XAPI.ALREADY_IN_USE", "Number", `number ${number} is already in use`);
    }
    const dn: DnRecord = { Id: this.nextDnId++, Number: number, Name: name, Type: type };
    this.dns.set(dn.Id, dn);
    this.idByNumber.set(number, dn.Id);
    return dn;
  }

  /** Smallest free number of the extension length, counting up from extensionStart. */
  firstAvailableExtensionNumber(): string {
    const width = this.extensionStart.length;
    const last = 10 ** width - 1;
    for (let candidate = Number(this.extensionStart); candidate <= last; candidate++) {
      const number = String(candidate).padStart(width, "0");
      if (!this.idByNumber.has(number)) return number;
    }
    throw ruleViolation("WARNINGS.NO_MORE_NUMBERS_AVAILABLE", "Number", "no extension number is free");
  }

  addGroup(fields: { Name: string; Number?: string }): Entity {
    const number = fields.Number ?? `GRP${String(this.groups.size).padStart(4, "0")}`;
    const dn = this.addDn(number, fields.Name, "Group");
    const group: Entity = {
      Id: dn.Id,
      Number: number,
      Name: fields.Name,
      Props: { PersonalContactsMaxCount: this.personalContactsMaxCount },
    };
    this.groups.set(dn.Id, group);
    return group;
  }

  // ---- users -------------------------------------------------------------------------------

  userById(id: number): Entity | undefined {
    return this.users.get(id);
  }

  userByNumber(number: string): Entity | undefined {
    const id = this.idByNumber.get(number);
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Creates a user from an already spec-validated Pbx.User body. */
  createUser(body: Entity): Entity {
    const number = body.Number;
    if (typeof number !== "string" || number === "") {
      throw ruleViolation("WARNINGS.XAPI.REQUIRED", "Number", "an extension number is required");
    }
    if (!/^\d+$/.test(number)) {
      throw ruleViolation("WARNINGS.INVALID", "Number", `extension number '${number}' must be digits only`);
    }
    if (this.idByNumber.has(number)) {
      throw ruleViolation("WARNINGS.XAPI.ALREADY_IN_USE", "Number", `extension ${number} is already in use`);
    }
    assertFieldLimits(body);
    this.assertEmailFree(body.EmailAddress, undefined);
    if (typeof body.CurrentProfileName === "string")
      this.assertProfileName(this.profileNames, body.CurrentProfileName);
    const memberships = this.membershipsFrom(body.Groups) ?? this.defaultMemberships();
    const { Groups: _groups, Id: _id, ForwardingProfiles: _profiles, ...structural } = body;
    const displayName = [body.FirstName, body.LastName].filter((part) => typeof part === "string").join(" ");
    const dn = this.addDn(number, displayName || null, "Extension");
    const user: Entity = { Id: dn.Id, Number: number, ...structuredClone(USER_DEFAULTS) };
    mergePatch(user, structural);
    user.DisplayName ??= displayName || null;
    this.users.set(dn.Id, user);
    this.setMemberships(user, memberships);
    this.indexEmail(user);
    this.profiles.set(
      dn.Id,
      this.profileNames.map((name) => ({
        Id: this.nextProfileId++,
        Name: name,
        CustomName: null,
        CustomMessage: null,
      })),
    );
    return user;
  }

  /** Applies an already spec-validated PATCH body to a user. */
  updateUser(id: number, patch: Entity): void {
    const user = this.users.get(id);
    if (!user) throw new SimError(404, "notFound", `no user with Id ${id}`);
    if ("Number" in patch && patch.Number !== user.Number) {
      throw ruleViolation(
        "WARNINGS.XAPI.FORBIDDEN_CHANGE",
        "Number",
        "the extension number cannot be changed",
      );
    }
    if ("Id" in patch && patch.Id !== id) {
      throw ruleViolation("WARNINGS.XAPI.FORBIDDEN_CHANGE", "Id", "the Id cannot be changed");
    }
    assertFieldLimits(patch);
    if ("EmailAddress" in patch) this.assertEmailFree(patch.EmailAddress, id);
    if (typeof patch.CurrentProfileName === "string") {
      const names = (this.profiles.get(id) ?? []).map((profile) => String(profile.Name));
      this.assertProfileName(names, patch.CurrentProfileName);
    }
    if ("CurrentProfileName" in patch && patch.CurrentProfileName === null) {
      throw ruleViolation("WARNINGS.XAPI.REQUIRED", "CurrentProfileName", "a profile name is required");
    }
    const memberships = this.membershipsFrom(patch.Groups);
    const profiles = this.profilesPatched(id, patch.ForwardingProfiles);
    const { Groups: _groups, ForwardingProfiles: _profiles, ...structural } = patch;
    this.unindexEmail(user);
    mergePatch(user, structural);
    this.indexEmail(user);
    if (memberships) this.setMemberships(user, memberships);
    if (profiles) this.profiles.set(id, profiles);
  }

  /**
   * A PATCH carrying ForwardingProfiles: each element names one of the user's profiles by Id and
   * its properties are merged into it; profiles not listed stay as they are. (The spec does not say
   * whether a PBX merges or replaces the collection; gw3cx sends every profile back whole, which
   * is right under either reading.) A profile is never renamed, added or removed this way.
   */
  private profilesPatched(userId: number, value: unknown): Entity[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      throw ruleViolation("WARNINGS.INVALID", "ForwardingProfiles", "ForwardingProfiles must be an array");
    }
    const next = structuredClone(this.profiles.get(userId) ?? []);
    for (const element of value as Entity[]) {
      const profile = next.find((p) => p.Id === element.Id);
      if (!profile) {
        throw ruleViolation(
          "WARNINGS.XAPI.NOT_FOUND",
          "ForwardingProfiles.Id",
          `user ${userId} has no forwarding profile with Id ${String(element.Id)}`,
        );
      }
      if ("Name" in element && element.Name !== profile.Name) {
        throw ruleViolation(
          "WARNINGS.XAPI.FORBIDDEN_CHANGE",
          "ForwardingProfiles.Name",
          "a forwarding profile cannot be renamed",
        );
      }
      mergePatch(profile, element);
    }
    return next;
  }

  private assertEmailFree(email: unknown, ownId: number | undefined): void {
    if (!this.uniqueEmails) return;
    const key = lowerEmail(email);
    if (key === undefined) return;
    const holders = this.userIdsByEmail.get(key) ?? new Set<number>();
    if ([...holders].some((holder) => holder !== ownId)) {
      throw ruleViolation(
        "WARNINGS.XAPI.DUPLICATE",
        "EmailAddress",
        `email address ${String(email)} is already used by another user`,
      );
    }
  }

  /** Ids of the users whose email equals this one (any case). */
  usersWithEmail(email: string): number[] {
    const key = lowerEmail(email);
    return key === undefined ? [] : [...(this.userIdsByEmail.get(key) ?? [])];
  }

  /** HasDuplicatedEmail: another user has this user's email. */
  hasDuplicatedEmail(id: number): boolean {
    const email = this.users.get(id)?.EmailAddress;
    return typeof email === "string" && this.usersWithEmail(email).some((other) => other !== id);
  }

  private assertProfileName(names: readonly string[], name: string): void {
    if (!names.includes(name)) {
      throw ruleViolation(
        "WARNINGS.XAPI.NOT_FOUND",
        "CurrentProfileName",
        `'${name}' is not one of the user's profiles (${names.join(", ")})`,
      );
    }
  }

  private indexEmail(user: Entity): void {
    const key = lowerEmail(user.EmailAddress);
    if (key === undefined) return;
    const holders = this.userIdsByEmail.get(key) ?? new Set<number>();
    holders.add(user.Id as number);
    this.userIdsByEmail.set(key, holders);
  }

  private unindexEmail(user: Entity): void {
    const key = lowerEmail(user.EmailAddress);
    const holders = key === undefined ? undefined : this.userIdsByEmail.get(key);
    if (!holders || key === undefined) return;
    holders.delete(user.Id as number);
    if (holders.size === 0) this.userIdsByEmail.delete(key);
  }

  private defaultMemberships(): Membership[] {
    const [first] = this.groups.keys();
    return first === undefined ? [] : [{ GroupId: first, RoleName: "users" }];
  }

  private membershipsFrom(groups: unknown): Membership[] | undefined {
    if (!Array.isArray(groups)) return undefined;
    return groups.map((raw: Entity, index) => {
      const groupId = raw.GroupId;
      if (typeof groupId !== "number" || !this.groups.has(groupId)) {
        throw ruleViolation(
          "WARNINGS.XAPI.NOT_FOUND",
          `Groups[${index}].GroupId`,
          `no department with Id ${String(groupId)}`,
        );
      }
      const roleName = (raw.Rights as Entity | null | undefined)?.RoleName ?? "users";
      if (!(ROLE_NAMES as readonly unknown[]).includes(roleName)) {
        throw ruleViolation(
          "WARNINGS.INVALID",
          `Groups[${index}].Rights.RoleName`,
          `role '${String(roleName)}' is not one of ${ROLE_NAMES.join(", ")}`,
        );
      }
      return { GroupId: groupId, RoleName: roleName as string };
    });
  }

  private setMemberships(user: Entity, memberships: Membership[]): void {
    this.memberships.set(user.Id as number, memberships);
    user.PrimaryGroupId = memberships[0]?.GroupId ?? null;
  }

  /** True when the PBX is older than the given version (numeric comparison part by part). */
  isOlderThan(version: string): boolean {
    const mine = this.version.split(".").map(Number);
    const other = version.split(".").map(Number);
    for (let i = 0; i < Math.max(mine.length, other.length); i++) {
      const a = mine[i] ?? 0;
      const b = other[i] ?? 0;
      if (a !== b) return a < b;
    }
    return false;
  }

  /** Pbx.UserGroup entities of a user's memberships. */
  userGroups(userId: number): Entity[] {
    return (this.memberships.get(userId) ?? []).map((membership, index) => {
      const group = this.groups.get(membership.GroupId) as Entity;
      return {
        Id: userId * 1000 + index,
        GroupId: membership.GroupId,
        Name: group.Name,
        Number: group.Number,
        Type: "Extension",
        CanDelete: true,
        Rights: { RoleName: membership.RoleName },
      };
    });
  }

  // ---- personal contacts -------------------------------------------------------------------

  private assertExtension(number: string): void {
    if (!this.userByNumber(number)) {
      throw ruleViolation(
        "WARNINGS.XAPI.NON_EXISTENT_EXT_NUMBER",
        "number",
        `there is no user extension ${number}`,
      );
    }
  }

  contactsOf(number: string): Entity[] {
    this.assertExtension(number);
    return [...(this.contactIdsByOwner.get(number) ?? [])].map(
      (id) => (this.contacts.get(id) as ContactRecord).entity,
    );
  }

  createContact(number: string, fields: Entity): Entity {
    this.assertExtension(number);
    const max = this.personalContactsMaxCount;
    if (max !== null && max > 0 && (this.contactIdsByOwner.get(number)?.size ?? 0) >= max) {
      throw ruleViolation(
        "WARNINGS.LIMIT_REACHED",
        "contact",
        `extension ${number} already holds ${max} personal contacts (PersonalContactsMaxCount)`,
      );
    }
    const entity: Entity = { Id: this.nextContactId++, ContactType: "3CX" };
    const { Id: _id, ...rest } = fields;
    mergePatch(entity, rest);
    assertContactRules(entity, "contact.");
    assertContactFieldLimits(entity);
    this.contacts.set(entity.Id as number, { owner: number, entity });
    const owned = this.contactIdsByOwner.get(number) ?? new Set<number>();
    owned.add(entity.Id as number);
    this.contactIdsByOwner.set(number, owned);
    return entity;
  }

  contactById(id: number): Entity | undefined {
    return this.contacts.get(id)?.entity;
  }

  updateContact(id: number, patch: Entity): void {
    const record = this.contacts.get(id);
    if (!record) throw new SimError(404, "notFound", `no contact with Id ${id}`);
    if ("Id" in patch && patch.Id !== id) {
      throw ruleViolation("WARNINGS.XAPI.FORBIDDEN_CHANGE", "Id", "the Id cannot be changed");
    }
    const next = structuredClone(record.entity);
    mergePatch(next, patch);
    assertContactRules(next, "");
    assertContactFieldLimits(patch);
    record.entity = next;
  }

  /** Deleting an Id that is already gone is not an error: the batch stays idempotent. */
  deleteContacts(ids: readonly number[]): void {
    for (const id of ids) {
      const record = this.contacts.get(id);
      if (!record) continue;
      this.contacts.delete(id);
      this.contactIdsByOwner.get(record.owner)?.delete(id);
    }
  }
}

const CONTACT_PHONES = [
  "PhoneNumber",
  "Mobile2",
  "Home",
  "Business",
  "Business2",
  "BusinessFax",
  "Pager",
  "Other",
] as const;

function hasText(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "";
}

/** The PBX refuses a contact without a name or company, or without any phone number. */
function assertContactRules(contact: Entity, prefix: string): void {
  if (!hasText(contact.FirstName) && !hasText(contact.LastName) && !hasText(contact.CompanyName)) {
    throw ruleViolation(
      "WARNINGS.CONTACTS_SPECIFY_NAME_SURNAME_COMPANY",
      `${prefix}FirstName`,
      "a contact needs a first name, last name or company",
    );
  }
  if (!CONTACT_PHONES.some((field) => hasText(contact[field]))) {
    throw ruleViolation(
      "WARNINGS.CONTACTS_SPECIFY_PHONE_NUMBER",
      `${prefix}PhoneNumber`,
      "a contact needs at least one phone number",
    );
  }
}
