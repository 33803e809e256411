import { pino } from "pino";
import { createLogger, type Logger } from "../logging/logger.js";
import { withRetryNotices } from "./retry-notices.js";

/**
 * The CLI's own output is for people (or `--json` for scripts) on stdout, so structured log lines
 * never go there. By default they are dropped; `--verbose` writes them to stderr at the given level.
 * `start` keeps warnings so a long-running stack still says when something goes wrong. Without
 * either, a call being retried is still announced on stderr in one line (retry-notices.ts).
 */
export function createCliLogger(options: {
  verbose: boolean;
  level: "debug" | "info" | "warn" | "error";
  quietLevel?: "warn" | "error";
}): Logger {
  const level = options.verbose ? options.level : options.quietLevel;
  if (!level)
    return withRetryNotices(
      createLogger({ component: "gw3cx-cli" }, { level: "error", destination: { write() {} } }),
      (line) => process.stderr.write(line),
    );
  return createLogger(
    { component: "gw3cx-cli" },
    { level, destination: pino.destination({ dest: 2, sync: true }) },
  );
}
