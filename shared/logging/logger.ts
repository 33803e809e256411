import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";
import { LOG_EVENTS, type LogEventName, type Severity } from "./log-events.js";
import { redact, redactString } from "./redact.js";

/** Cloud Logging reads `severity` and `message` from JSON lines on stdout. */
const SEVERITY_BY_LEVEL: Record<string, Severity> = {
  trace: "DEBUG",
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  error: "ERROR",
  fatal: "CRITICAL",
};
const LEVEL_BY_SEVERITY: Record<Severity, "debug" | "info" | "warn" | "error" | "fatal"> = {
  DEBUG: "debug",
  INFO: "info",
  WARNING: "warn",
  ERROR: "error",
  CRITICAL: "fatal",
};

export interface LogContext {
  component: string;
  runId?: string;
  [field: string]: unknown;
}

export interface Logger {
  /** Logs one named event. Fields are redacted before they are written. */
  event(name: LogEventName, fields?: Record<string, unknown>): void;
  /** A logger whose every line also carries these fields (run id, user id, ...). */
  child(context: Partial<LogContext>): Logger;
}

export interface CreateLoggerOptions {
  level?: "debug" | "info" | "warn" | "error";
  /** Defaults to stdout; tests pass a stream to capture lines. */
  destination?: DestinationStream;
}

function wrap(base: PinoLogger): Logger {
  return {
    event(name, fields = {}) {
      const def = LOG_EVENTS[name];
      base[LEVEL_BY_SEVERITY[def.severity]]({ ...fields, event: name }, def.message);
    },
    child(context) {
      return wrap(base.child(redact(context) as Record<string, unknown>));
    },
  };
}

export function createLogger(context: LogContext, options: CreateLoggerOptions = {}): Logger {
  const base = pino(
    {
      level: options.level ?? "info",
      messageKey: "message",
      timestamp: pino.stdTimeFunctions.isoTime,
      base: redact(context) as Record<string, unknown>,
      formatters: {
        level: (label) => ({ severity: SEVERITY_BY_LEVEL[label] ?? "DEFAULT" }),
        log: (object) => redact(object) as Record<string, unknown>,
      },
      hooks: {
        // The message text is ours (LOG_EVENTS) but redact anyway in case a caller interpolates.
        logMethod(args, method) {
          const [first, second, ...rest] = args as unknown[];
          if (typeof second === "string")
            return method.apply(this, [first, redactString(second), ...rest] as never);
          return method.apply(this, args);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(base);
}
