import type { LogEventDefinition } from "../log-event-definition.js";

/** `gw3cx remove`: what it undid. Key material is never a field of any of these (keys by id only). */
export const removeLogEvents = {
  removalPlanned: { severity: "INFO", message: "gw3cx removal planned; nothing was changed" },
  removalApplied: { severity: "INFO", message: "gw3cx removal applied, item by item" },
  removalChannelStopped: {
    severity: "INFO",
    message: "a watch channel was stopped (or found gone) and forgotten",
  },
  removalChannelStopFailed: {
    severity: "WARNING",
    message: "a watch channel could not be stopped; it stays on record and lapses at its expiry",
  },
  removalContactsDeleted: {
    severity: "INFO",
    message: "the phonebook entries gw3cx wrote for a user were deleted and their links forgotten",
  },
  removalArchiverKeyDeleted: { severity: "INFO", message: "an archiver key was deleted" },
} as const satisfies Record<string, LogEventDefinition>;
