import { randomBytes } from "node:crypto";
import { SimError } from "./directory-state.js";
import { quotedEtag } from "./ids.js";
import { type SeedContact, seedContactSchema } from "./seed.js";

export interface StoredContact {
  resourceName: string;
  etag: string;
  deleted: boolean;
  givenName?: string;
  familyName?: string;
  company?: string;
  jobTitle?: string;
  department?: string;
  phones: Array<{ value: string; type?: string }>;
  emails: Array<{ value: string; type?: string }>;
  photoUrl?: string;
  labelIds: string[];
  updateTime: string;
  seq: number;
}

export interface StoredLabel {
  id: string;
  name: string;
  groupType: "USER_CONTACT_GROUP" | "SYSTEM_CONTACT_GROUP";
}

export interface UserContacts {
  contacts: Map<string, StoredContact>;
  labels: Map<string, StoredLabel>;
  /** Bumped to expire every sync token of this user at once. */
  generation: number;
}

/** Google's system groups every account has. */
const SYSTEM_LABELS: StoredLabel[] = [
  { id: "myContacts", name: "myContacts", groupType: "SYSTEM_CONTACT_GROUP" },
  { id: "starred", name: "starred", groupType: "SYSTEM_CONTACT_GROUP" },
];

export type ContactPatch = Partial<SeedContact>;

/** Per-user personal contacts and labels, with the change sequence People sync tokens use. */
export class ContactsState {
  private readonly byUser = new Map<string, UserContacts>();
  private sequence = 0;

  constructor(private readonly now: () => number) {}

  get currentSequence(): number {
    return this.sequence;
  }

  of(userId: string): UserContacts {
    let store = this.byUser.get(userId);
    if (!store) {
      store = {
        contacts: new Map(),
        labels: new Map(SYSTEM_LABELS.map((l) => [l.id, { ...l }])),
        generation: 1,
      };
      this.byUser.set(userId, store);
    }
    return store;
  }

  expireSyncTokens(userId: string): void {
    this.of(userId).generation++;
  }

  ensureLabel(userId: string, name: string): StoredLabel {
    const store = this.of(userId);
    const existing = [...store.labels.values()].find((l) => l.name === name);
    if (existing) return existing;
    const label: StoredLabel = { id: randomBytes(6).toString("hex"), name, groupType: "USER_CONTACT_GROUP" };
    store.labels.set(label.id, label);
    return label;
  }

  /**
   * Deletes a label as contactGroups.delete does without deleteContacts: its contacts stay but lose
   * the membership, which an incremental read reports as a change of each of them.
   */
  deleteLabel(userId: string, name: string): void {
    const store = this.of(userId);
    const label = [...store.labels.values()].find(
      (l) => l.name === name && l.groupType === "USER_CONTACT_GROUP",
    );
    if (!label) throw new SimError(`no label ${name}`);
    store.labels.delete(label.id);
    for (const contact of store.contacts.values()) {
      if (contact.deleted || !contact.labelIds.includes(label.id)) continue;
      contact.labelIds = contact.labelIds.filter((id) => id !== label.id);
      this.touch(contact);
    }
  }

  /** Renames a label as contactGroups.update does: same id, so no contact changes and no sync reports it. */
  renameLabel(userId: string, name: string, newName: string): StoredLabel {
    const label = [...this.of(userId).labels.values()].find(
      (l) => l.name === name && l.groupType === "USER_CONTACT_GROUP",
    );
    if (!label) throw new SimError(`no label ${name}`);
    label.name = newName;
    return label;
  }

  addContact(userId: string, input: SeedContact): StoredContact {
    const parsed = seedContactSchema.parse(input);
    const store = this.of(userId);
    const contact: StoredContact = {
      resourceName: `people/c${BigInt(`0x${randomBytes(8).toString("hex")}`).toString()}`,
      etag: "",
      deleted: false,
      phones: [],
      emails: [],
      labelIds: [],
      updateTime: "",
      seq: 0,
    };
    this.apply(userId, contact, parsed);
    store.contacts.set(contact.resourceName, contact);
    return contact;
  }

  updateContact(userId: string, resourceName: string, patch: ContactPatch): StoredContact {
    const contact = this.require(userId, resourceName);
    this.apply(userId, contact, patch);
    return contact;
  }

  deleteContact(userId: string, resourceName: string): void {
    const contact = this.require(userId, resourceName);
    contact.deleted = true;
    this.touch(contact);
  }

  private require(userId: string, resourceName: string): StoredContact {
    const contact = this.of(userId).contacts.get(resourceName);
    if (!contact || contact.deleted) throw new SimError(`no contact ${resourceName}`);
    return contact;
  }

  private apply(userId: string, contact: StoredContact, patch: ContactPatch): void {
    for (const key of ["givenName", "familyName", "company", "jobTitle", "department", "photoUrl"] as const) {
      if (patch[key] !== undefined) contact[key] = patch[key];
    }
    if (patch.phones) contact.phones = patch.phones.map((p) => ({ ...p }));
    if (patch.emails) contact.emails = patch.emails.map((e) => ({ ...e }));
    if (patch.labels) contact.labelIds = patch.labels.map((name) => this.ensureLabel(userId, name).id);
    this.touch(contact);
  }

  private touch(contact: StoredContact): void {
    contact.etag = quotedEtag().replace(/"/g, "");
    contact.updateTime = new Date(this.now()).toISOString();
    contact.seq = ++this.sequence;
  }
}
