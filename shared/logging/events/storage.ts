import type { LogEventDefinition } from "../log-event-definition.js";

/** 3CX remote storage and the archiver key. Key material is never a field of any of these. */
export const storageLogEvents = {
  storagePlanned: { severity: "INFO", message: "3CX storage settings planned" },
  storageApplied: { severity: "INFO", message: "3CX storage settings applied" },
  archiverKeyCreated: { severity: "INFO", message: "a key of the archiver account was created" },
  archiverKeyStored: { severity: "INFO", message: "the archiver key was added as a new secret version" },
  archiverKeyWrittenToPbx: { severity: "INFO", message: "3CX now holds the new archiver key" },
  archiverKeyRetired: {
    severity: "INFO",
    message: "older archiver keys deleted and older secret versions disabled",
  },
  archiverKeyRolledBack: {
    severity: "WARNING",
    message: "a new archiver key did not reach 3CX; it was deleted and 3CX keeps its working key",
  },
  archiverKeyUnconfirmed: {
    severity: "WARNING",
    message: "3CX did not confirm the new archiver key; the old and the new key are both kept",
  },
  archiverKeyRollbackFailed: {
    severity: "ERROR",
    message: "could not undo part of a failed key installation (3CX keeps its working key)",
  },
  archiverKeyRetireFailed: {
    severity: "WARNING",
    message: "3CX holds the new archiver key, but an older key or secret version is still active",
  },
} as const satisfies Record<string, LogEventDefinition>;
