import { pino } from "pino";
import { createLogger, type Logger } from "../logging/logger.js";

/**
 * The CLI's own output is for people (or `--json` for scripts) on stdout, so structured log lines
 * never go there. By default they are dropped; `--verbose` writes them to stderr at the given level.
 * `start` keeps warnings so a long-running stack still says when something goes wrong.
 */
export function createCliLogger(options: {
  verbose: boolean;
  level: "debug" | "info" | "warn" | "error";
  quietLevel?: "warn" | "error";
}): Logger {
  const level = options.verbose ? options.level : options.quietLevel;
  if (!level)
    return createLogger({ component: "gw3cx-cli" }, { level: "error", destination: { write() {} } });
  return createLogger(
    { component: "gw3cx-cli" },
    { level, destination: pino.destination({ dest: 2, sync: true }) },
  );
}
