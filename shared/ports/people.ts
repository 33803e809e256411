import type { WorkspaceErrorOptions, WorkspaceFailure } from "./directory.js";
import { WorkspaceError } from "./directory.js";

export interface ContactPhone {
  value: string;
  /** E.164 when Google could parse the number. */
  canonicalForm?: string;
  /** home, work, mobile, homeFax, workFax, otherFax, pager, workMobile, workPager, main, googleVoice, other, or custom text. */
  type?: string;
}

export interface ContactEmail {
  value: string;
  type?: string;
}

/** A personal contact of one user. A deleted one (incremental sync) carries only resourceName. */
export interface Contact {
  /** "people/c123...": stable id of the contact. */
  resourceName: string;
  etag?: string;
  deleted: boolean;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  company?: string;
  jobTitle?: string;
  department?: string;
  phones: ContactPhone[];
  emails: ContactEmail[];
  /** A real photo (not Google's generated placeholder), when there is one. */
  photoUrl?: string;
  /** "contactGroups/<id>" of every label the contact carries. */
  labelResourceNames: string[];
}

export interface ContactLabel {
  resourceName: string;
  name: string;
  memberCount?: number;
}

export interface ContactSyncResult {
  /** true: `contacts` is the whole list and replaces the stored one (first sync or expired token). */
  full: boolean;
  /** Google refused the token as expired (it lives 7 days); the caller's copy must be rebuilt. */
  tokenExpired: boolean;
  contacts: Contact[];
  nextSyncToken: string;
}

/** A user's personal contacts and labels (People API as that user). */
export interface People {
  syncContacts(userEmail: string, options?: { syncToken?: string }): Promise<ContactSyncResult>;
  listContactLabels(userEmail: string): Promise<ContactLabel[]>;
  /** The user's label with this name (e.g. "3CX"), if the user made one. */
  findContactLabel(userEmail: string, name: string): Promise<ContactLabel | undefined>;
}

export class PeopleError extends WorkspaceError<`PEOPLE_${WorkspaceFailure}`> {
  constructor(failure: WorkspaceFailure, message: string, options: WorkspaceErrorOptions = {}) {
    super(`PEOPLE_${failure}`, failure, message, options);
  }
}
