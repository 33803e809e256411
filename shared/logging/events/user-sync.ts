import type { LogEventDefinition } from "../log-event-definition.js";

/** User sync: runs, plans, holds, per-user writes and channel renewal. */
export const userSyncLogEvents = {
  userSyncRunStarted: { severity: "INFO", message: "user sync run started" },
  userSyncHeartbeatFailed: {
    severity: "WARNING",
    message: "could not record the run's heartbeat; it may show as abandoned if this persists",
  },
  userSyncPlanned: { severity: "INFO", message: "user sync planned" },
  userSyncHeld: {
    severity: "WARNING",
    message: "user sync held: the plan would disable more users than the safeguard allows",
  },
  userSyncApplied: { severity: "INFO", message: "user sync applied" },
  userSyncFailed: { severity: "ERROR", message: "user sync run failed" },
  userSyncActionFailed: { severity: "ERROR", message: "a user sync action failed; the next run retries it" },
  userSyncValueTooLong: {
    severity: "WARNING",
    message: "a Workspace value is longer than 3CX accepts; not written",
  },
  userSyncRealtimeDisableDeferred: {
    severity: "WARNING",
    message:
      "real-time disables used up their 24-hour budget; this one waits for the nightly run and its safeguard",
  },
  userSyncNumberTaken: {
    severity: "INFO",
    message: "the extension number was taken since it was read; creating the user on the next free one",
  },
  userSyncOff: {
    severity: "INFO",
    message: "user sync is off (syncUsers: false); nothing read or written",
  },
  userSyncUsersLeased: {
    severity: "WARNING",
    message: "users held by another worker past the wait were not applied; the next run retries them",
  },
  userSyncUserBusy: { severity: "INFO", message: "another worker is syncing this user; retrying later" },
  userSyncHoldMailFailed: { severity: "ERROR", message: "could not mail the held-run notice" },
  directoryChannelRenewed: { severity: "INFO", message: "directory watch channel renewed" },
  directoryChannelRenewalFailed: {
    severity: "ERROR",
    message: "could not renew the directory watch channels; real-time sync stops when they expire",
  },
  directoryChannelStopFailed: {
    severity: "WARNING",
    message: "could not stop the old directory watch channel; it expires on its own",
  },
  directoryChangeRejected: {
    severity: "WARNING",
    message: "directory notification rejected; nothing published",
  },
  directoryChangePublished: { severity: "DEBUG", message: "directory notification published" },
  pushEarlyHandshakeRefused: {
    severity: "DEBUG",
    message:
      "a channel's sync handshake arrived before the channel was recorded; refused like any unknown channel",
  },
} as const satisfies Record<string, LogEventDefinition>;
