import { contactsStatusSection } from "../usecases/status/contacts-status-section.js";
import type { StatusSectionReader } from "../usecases/status/status-section.js";
import { transcriptsStatusSection } from "../usecases/status/transcripts-status-section.js";

/**
 * The parts other features add to the status (personal contacts, transcripts), read by the CLI,
 * the local page and the cloud page alike: a feature adds its reader here, once.
 */
export const STATUS_SECTIONS: readonly StatusSectionReader[] = [
  contactsStatusSection,
  transcriptsStatusSection,
];
