/**
 * Every log line gw3cx writes, defined once by name. Code logs an event name plus fields;
 * the severity and the message text live here, so operators can alert on `event` and
 * reviewers can read every line the product prints in one file.
 */
export type Severity = "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";

export interface LogEventDefinition {
  severity: Severity;
  message: string;
}

export const LOG_EVENTS = {
  settingsLoaded: { severity: "INFO", message: "settings loaded" },
  settingsInvalid: { severity: "CRITICAL", message: "settings are invalid; start-up stopped" },
  standInStarted: { severity: "DEBUG", message: "local stand-in started" },
  standInStopped: { severity: "DEBUG", message: "local stand-in stopped" },
  busMessagePublished: { severity: "DEBUG", message: "message published" },
  busMessageDeadLettered: { severity: "WARNING", message: "message sent to the dead-letter path" },
  busHandlerFailed: { severity: "ERROR", message: "message handler failed; the message will be redelivered" },
  stateStoreOpened: { severity: "DEBUG", message: "state store opened" },
} as const satisfies Record<string, LogEventDefinition>;

export type LogEventName = keyof typeof LOG_EVENTS;
