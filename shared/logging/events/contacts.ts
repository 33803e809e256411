import type { LogEventDefinition } from "../log-event-definition.js";

/** Personal contacts: runs, per-user failures and writes, the PBX's support for them. */
export const contactsLogEvents = {
  contactsRunStarted: { severity: "INFO", message: "personal contacts run started" },
  contactsRunFinished: { severity: "INFO", message: "personal contacts run finished" },
  contactsOff: {
    severity: "INFO",
    message: "personal contacts are off (syncPersonalContacts: false); nothing read or written",
  },
  contactsPbxUnsupported: {
    severity: "ERROR",
    message:
      "the PBX is older than 20.0.9 and has no personal-contact functions in its XAPI; contacts not synced",
  },
  contactsHeartbeatFailed: {
    severity: "WARNING",
    message: "could not record the contacts run's heartbeat; it may show as abandoned if this persists",
  },
  contactsRunFailed: { severity: "ERROR", message: "personal contacts run could not start" },
  contactsUserFailed: {
    severity: "WARNING",
    message: "a user's personal contacts could not be synced; the other users go on",
  },
  contactsWriteFailed: {
    severity: "WARNING",
    message: "a 3CX contact write failed; the next run retries it",
  },
  contactsRequestsPublished: { severity: "INFO", message: "one contacts request per user published" },
  contactsUserBusy: {
    severity: "INFO",
    message: "another worker is syncing this user's contacts; the message is redelivered later",
  },
} as const satisfies Record<string, LogEventDefinition>;
