import { stateStoreDelegationHealth } from "../adapters/state/state-store-delegation-health.js";
import { contactsStatusSection } from "../usecases/status/contacts-status-section.js";
import { delegationStatusSection } from "../usecases/status/delegation-status-section.js";
import type { StatusSectionReader } from "../usecases/status/status-section.js";
import { transcriptsStatusSection } from "../usecases/status/transcripts-status-section.js";

/**
 * The parts other features add to the status (personal contacts, transcripts, the deployed
 * functions' delegation), read by the CLI, the local page and the cloud page alike: a feature adds
 * its reader here, once.
 */
export const STATUS_SECTIONS: readonly StatusSectionReader[] = [
  contactsStatusSection,
  transcriptsStatusSection,
  delegationStatusSection(stateStoreDelegationHealth),
];
