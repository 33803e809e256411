import type { ContactSyncPlan } from "../../domain/contacts/contact-sync-plan.js";
import type { ContactOverflowReport, UnfitContact } from "../../domain/contacts/labelled-contacts.js";
import type { ContactRunCounts } from "./contact-counts.js";

/** The user gw3cx syncs contacts for: linked, enabled in 3CX, with an extension. */
export interface ContactSyncUser {
  googleId: string;
  email: string;
  /** The extension whose personal phonebook receives the contacts. */
  number: string;
  /** PersonalContactsMaxCount of the user's department; null: none stated. */
  maxCount: number | null;
}

/** What one user's contact sync did (or, dry, would do). */
export interface UserContactsResult {
  googleId: string;
  email: string;
  /** noLabel: the user has no label of that name and gw3cx holds none of their contacts: a note, not an error. */
  status: "done" | "noLabel" | "failed";
  /** The People read was a full one (first, expired token, label changed, or repair). */
  fullRead: boolean;
  counts: ContactRunCounts;
  failure?: { code: string; message: string };
  notes: { code: string; message: string }[];
  overflow: ContactOverflowReport[];
  unfit: UnfitContact[];
  plan?: ContactSyncPlan;
  /** Writes that failed, each with its contact; the sync token is not advanced, so the next run retries. */
  writeErrors: { resourceName: string; action: string; code: string; message: string }[];
}
