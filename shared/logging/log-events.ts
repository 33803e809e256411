import { contactsLogEvents } from "./events/contacts.js";
import { coreLogEvents } from "./events/core.js";
import { googleLogEvents } from "./events/google.js";
import { mailAndPbxSettingsLogEvents } from "./events/mail-and-pbx-settings.js";
import { presenceLogEvents } from "./events/presence.js";
import { removeLogEvents } from "./events/remove.js";
import { statusLogEvents } from "./events/status.js";
import { storageLogEvents } from "./events/storage.js";
import { threecxLogEvents } from "./events/threecx.js";
import { transcriptionLogEvents } from "./events/transcription.js";
import { userSyncLogEvents } from "./events/user-sync.js";
import type { LogEventDefinition } from "./log-event-definition.js";

export type { LogEventDefinition, Severity } from "./log-event-definition.js";

/**
 * Every log line gw3cx writes, defined once by name (one file per area under events/).
 * Code logs an event name plus fields; severity and message text live in the catalog, so
 * operators can alert on `event` and reviewers can read every line the product prints.
 */
export const LOG_EVENTS = {
  ...coreLogEvents,
  ...threecxLogEvents,
  ...googleLogEvents,
  ...userSyncLogEvents,
  ...presenceLogEvents,
  ...statusLogEvents,
  ...mailAndPbxSettingsLogEvents,
  ...contactsLogEvents,
  ...storageLogEvents,
  ...transcriptionLogEvents,
  ...removeLogEvents,
} as const satisfies Record<string, LogEventDefinition>;

export type LogEventName = keyof typeof LOG_EVENTS;
