import type { LogEventDefinition } from "../log-event-definition.js";

/** Settings, stand-ins, bus and state store. */
export const coreLogEvents = {
  settingsLoaded: { severity: "INFO", message: "settings loaded" },
  settingsInvalid: { severity: "CRITICAL", message: "settings are invalid; start-up stopped" },
  standInStarted: { severity: "DEBUG", message: "local stand-in started" },
  standInStopped: { severity: "DEBUG", message: "local stand-in stopped" },
  busMessagePublished: { severity: "DEBUG", message: "message published" },
  busMessageDeadLettered: { severity: "WARNING", message: "message sent to the dead-letter path" },
  busHandlerFailed: { severity: "ERROR", message: "message handler failed; the message will be redelivered" },
  stateStoreOpened: { severity: "DEBUG", message: "state store opened" },
} as const satisfies Record<string, LogEventDefinition>;
