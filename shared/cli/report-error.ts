import { ConfigError } from "../config/config-error.js";
import { isGw3cxError } from "../errors.js";
import { redactString } from "../logging/redact.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

/**
 * Turns an error that escaped a command into what the user sees and the exit code. Settings
 * problems (ConfigError, or nothing configured) exit 78 with one line per problem; anything else
 * is one `gw3cx: CODE: message` line, exit 1. Stack traces only with --verbose; messages are
 * redacted in case a credential slipped into one.
 */
export function reportError(error: unknown, verbose: boolean): { exitCode: ExitCode; text: string } {
  const lines: string[] = [];
  let exitCode: ExitCode = EXIT.failed;
  if (error instanceof ConfigError) {
    lines.push(redactString(error.message));
    exitCode = EXIT.config;
  } else {
    const code = isGw3cxError(error) ? error.code : errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`gw3cx: ${code}: ${redactString(message)}`);
    if (isGw3cxError(error, "NOT_CONFIGURED")) exitCode = EXIT.config;
  }
  if (verbose && error instanceof Error && error.stack) lines.push(redactString(error.stack));
  return { exitCode, text: lines.join("\n") };
}

/** Node's system errors carry a code (ECONNREFUSED, ENOENT); anything else is unexpected. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : "UNEXPECTED";
}

/**
 * The same error for `--json`: one JSON document on stdout, so a script piping into `jq` gets
 * something to parse; the human line still goes to stderr.
 */
export function errorAsJson(error: unknown): {
  error: { code: string; message: string; problems?: unknown };
} {
  const code = isGw3cxError(error) ? error.code : errorCode(error);
  const message = redactString(error instanceof Error ? error.message : String(error));
  return {
    error: {
      code,
      message,
      ...(error instanceof ConfigError
        ? { problems: error.problems.map((p) => ({ ...p, value: redactString(p.value) })) }
        : {}),
    },
  };
}
