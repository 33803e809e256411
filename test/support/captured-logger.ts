import { Writable } from "node:stream";
import { type CreateLoggerOptions, createLogger, type Logger } from "../../shared/logging/logger.js";

/** A real logger whose JSON lines are kept in `lines` for the test to read, not printed. */
export function capturedLogger(
  component: string,
  level?: CreateLoggerOptions["level"],
): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ component }, { destination, ...(level ? { level } : {}) }), lines };
}
