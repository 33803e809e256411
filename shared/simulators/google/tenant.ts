import { AuthState } from "./auth-state.js";
import { CalendarState, type EventPatch, type StoredEvent } from "./calendar-state.js";
import { ChannelRegistry, type SimChannel } from "./channels.js";
import { type ContactPatch, ContactsState, type StoredContact } from "./contacts-state.js";
import { DirectoryState, type SimUser, type UserEvent, type UserPatch } from "./directory-state.js";
import { FaultInjector } from "./faults.js";
import { IamKeysState } from "./iam-keys-state.js";
import type { ParsedSeed, SeedContact, SeedEvent, SeedUser } from "./seed.js";
import { SimClock } from "./sim-clock.js";

export interface SentMessage {
  id: string;
  threadId: string;
  /** The delegated user the message was sent as. */
  sender: string;
  raw: Buffer;
  headers: Record<string, string>;
}

/**
 * Everything the simulated Workspace holds, and the admin operations tests use to change it. Every
 * change goes through here so watch channels hear about it exactly as they would from Google.
 */
export class GoogleTenant {
  readonly clock = new SimClock();
  readonly faults = new FaultInjector();
  readonly channels: ChannelRegistry;
  readonly directory: DirectoryState;
  readonly calendars: CalendarState;
  readonly contacts: ContactsState;
  readonly auth: AuthState;
  /** Cloud IAM service accounts and their keys (the archiver account's key for 3CX). */
  readonly iamKeys: IamKeysState;
  readonly sentMail: SentMessage[] = [];
  customerId = "C0sim0001";
  domain = "example.com";
  /** The Directory writes photo padding as '*' or '.'; tests switch to check both. */
  photoPadding: "*" | "." = "*";

  constructor(private readonly baseUrl: () => string) {
    const now = () => this.clock.now();
    this.channels = new ChannelRegistry(now, this.faults);
    this.directory = new DirectoryState(now, (event, user) => this.userChanged(event, user));
    this.calendars = new CalendarState(
      now,
      (userId, eventTypes) => this.calendarChanged(userId, eventTypes),
      (email) => {
        const user = this.directory.findActive(email);
        return user ? { userId: user.id, calendar: this.calendarOf(user) } : undefined;
      },
    );
    this.contacts = new ContactsState(now);
    this.auth = new AuthState(now, this.directory, () => `${this.baseUrl()}/token`);
    this.iamKeys = new IamKeysState(now);
  }

  load(seed: ParsedSeed): void {
    this.customerId = seed.customer.id;
    this.domain = seed.customer.domain;
    this.auth.load(seed);
    for (const path of seed.orgUnits) this.directory.orgUnits.add(path);
    const users = seed.users.map((input) => ({
      input,
      user: this.directory.addUser(input, { silent: true }),
    }));
    // Events after every user exists, so an invitation reaches attendees seeded later.
    for (const { input, user } of users) {
      const calendar = this.calendarOf(user);
      for (const event of input.events ?? []) this.calendars.addEvent(calendar, event, { silent: true });
      for (const label of input.labels ?? []) this.contacts.ensureLabel(user.id, label);
      for (const contact of input.contacts ?? []) this.contacts.addContact(user.id, contact);
    }
    for (const group of seed.groups) this.directory.addGroup(group);
  }

  calendarOf(user: SimUser) {
    return this.calendars.calendarOf(user.id, user.primaryEmail, user.timeZone);
  }

  // ---- admin operations (also served over HTTP under /_sim) ----

  createUser(input: SeedUser): SimUser {
    return this.directory.addUser(input);
  }

  updateUser(userKey: string, patch: UserPatch): SimUser {
    return this.directory.updateUser(userKey, patch);
  }

  suspendUser(userKey: string, suspended = true): SimUser {
    return this.directory.updateUser(userKey, { suspended });
  }

  deleteUser(userKey: string): SimUser {
    return this.directory.deleteUser(userKey);
  }

  undeleteUser(userKey: string): SimUser {
    return this.directory.undeleteUser(userKey);
  }

  setUserPhoto(userKey: string, data: Buffer | undefined, mimeType?: string): SimUser {
    return this.directory.setPhoto(userKey, data, mimeType);
  }

  /** Creates an event in the user's calendar (organized by them unless `organizer` names another). */
  addEvent(userKey: string, event: SeedEvent): StoredEvent {
    const user = this.directory.require(userKey);
    return this.calendars.addEvent(this.calendarOf(user), event);
  }

  /** Changes (moves, shortens, re-invites) an event or one instance of a series, as its organizer. */
  updateEvent(userKey: string, eventId: string, patch: EventPatch): StoredEvent {
    const user = this.directory.require(userKey);
    return this.calendars.updateEvent(this.calendarOf(user), eventId, patch);
  }

  /** The user answers an invitation in their own calendar; every copy sees the answer. */
  respondToEvent(userKey: string, eventId: string, responseStatus: string): StoredEvent {
    const user = this.directory.require(userKey);
    return this.calendars.respond(this.calendarOf(user), eventId, user.primaryEmail, responseStatus);
  }

  /** The organizer cancels the event (or one instance): every copy is cancelled. */
  deleteEvent(userKey: string, eventId: string): void {
    const user = this.directory.require(userKey);
    this.calendars.deleteEvent(this.calendarOf(user), eventId);
  }

  /** Every Calendar sync token of the user now gets 410 GONE. */
  invalidateCalendarSyncTokens(userKey: string): void {
    this.calendars.invalidateSyncTokens(this.directory.require(userKey).id);
  }

  addContact(userKey: string, contact: SeedContact): StoredContact {
    return this.contacts.addContact(this.directory.require(userKey).id, contact);
  }

  updateContact(userKey: string, resourceName: string, patch: ContactPatch): StoredContact {
    return this.contacts.updateContact(this.directory.require(userKey).id, resourceName, patch);
  }

  deleteContact(userKey: string, resourceName: string): void {
    this.contacts.deleteContact(this.directory.require(userKey).id, resourceName);
  }

  addContactLabel(userKey: string, name: string) {
    return this.contacts.ensureLabel(this.directory.require(userKey).id, name);
  }

  /** Renames a user's label; its id and its contacts stay as they are. */
  renameContactLabel(userKey: string, name: string, newName: string) {
    return this.contacts.renameLabel(this.directory.require(userKey).id, name, newName);
  }

  /** Deletes a user's label; its contacts stay, without it. */
  deleteContactLabel(userKey: string, name: string): void {
    this.contacts.deleteLabel(this.directory.require(userKey).id, name);
  }

  /** Every People sync token of the user now gets EXPIRED_SYNC_TOKEN. */
  expirePeopleSyncTokens(userKey: string): void {
    this.contacts.expireSyncTokens(this.directory.require(userKey).id);
  }

  // ---- change fan-out to watch channels ----

  private userChanged(event: UserEvent, user: SimUser): void {
    const channels = this.channels.active((c) => c.kind === "directory" && c.event === event);
    for (const channel of channels) {
      this.channels.notify(channel, event, {
        kind: "admin#directory#user",
        id: user.id,
        etag: user.etag,
        primaryEmail: user.primaryEmail,
      });
    }
  }

  private calendarChanged(userId: string, eventTypes: ReadonlySet<string>): void {
    const watching = (channel: SimChannel) =>
      channel.kind === "calendar" &&
      channel.userId === userId &&
      (!channel.eventTypes || [...eventTypes].some((type) => channel.eventTypes?.has(type)));
    for (const channel of this.channels.active(watching)) this.channels.notify(channel, "exists");
  }
}
