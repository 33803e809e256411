import type { LogEventDefinition } from "../log-event-definition.js";

/** Presence from Google Calendar. Event titles are never logged: ids, profiles and kinds only. */
export const presenceLogEvents = {
  presenceApplied: { severity: "INFO", message: "presence applied to 3CX" },
  presenceUnchanged: { severity: "DEBUG", message: "presence checked; 3CX already right" },
  presenceUserBusy: { severity: "INFO", message: "another worker holds this user; presence retried later" },
  presenceApplyFailed: {
    severity: "WARNING",
    message: "presence could not be applied; state kept, retried on redelivery or by the tick",
  },
  presenceReconcileUnavailable: {
    severity: "WARNING",
    message:
      "presence reconcile tick received by a runtime without presence wired; acknowledged, nothing done",
  },
  presenceBoundaryScheduleFailed: {
    severity: "WARNING",
    message: "could not schedule the next presence boundary; the reconcile tick covers it",
  },
  presenceBoundaryDelivered: {
    severity: "DEBUG",
    message: "a presence boundary arrived from the queue (lateMs: how long after its instant)",
  },
  presenceBoundaryLost: {
    severity: "WARNING",
    message: "a presence boundary passed without its wake-up; applying it now",
  },
  calendarChannelOpened: { severity: "INFO", message: "calendar watch channel opened" },
  calendarChannelOpenFailed: {
    severity: "WARNING",
    message: "could not open a calendar watch channel; the next pass retries",
  },
  calendarChannelStopFailed: { severity: "WARNING", message: "could not stop an old calendar channel" },
  calendarChannelsMaintained: { severity: "INFO", message: "calendar watch channels checked" },
  calendarChannelMaintenanceFailed: { severity: "ERROR", message: "calendar channel maintenance failed" },
  calendarResyncDone: { severity: "INFO", message: "nightly calendar resync done" },
  calendarChangePublished: { severity: "DEBUG", message: "calendar notification published" },
  presenceTickFailed: { severity: "ERROR", message: "the presence reconcile tick failed" },
} as const satisfies Record<string, LogEventDefinition>;
