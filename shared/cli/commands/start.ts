import { loadSettings } from "../../config/load-settings.js";
import { Gw3cxError } from "../../errors.js";
import type { GlobalOptions } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderWhereToLook } from "../render/where-to-look.js";
import { startLocal } from "../start-local.js";
import { signalExitCode, watchTerminationSignals } from "../termination-signals.js";

/** Closing the stack takes well under a second; past this something hangs, and the process ends anyway. */
const STOP_DEADLINE_MS = 10_000;

/** `gw3cx start` (`npm start`): the single-machine default, until SIGINT, SIGTERM or SIGHUP. */
export async function runStart(global: GlobalOptions, options: { port?: number }): Promise<ExitCode> {
  if (global.state !== "sqlite") {
    throw new Gw3cxError(
      "STATE_NOT_SUPPORTED",
      "start runs on the embedded SQLite state; --state firestore is for plan, sync and status",
    );
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(global.config ? { GW3CX_CONFIG: global.config } : {}),
  };
  // Read first so a bad setting stops here (exit 78), before any simulator or port is opened.
  const { logLevel } = loadSettings({ env });
  // A long-running stack keeps its warnings on stderr; --verbose shows every sync as it happens.
  const logger = createCliLogger({ verbose: global.verbose, level: logLevel, quietLevel: "warn" });
  // Listening from the start, so a stop request during start-up is not lost (or fatal mid-way).
  const stopRequested = watchTerminationSignals((signal) =>
    output.err(`gw3cx: ${signal} again, stopping at once`),
  );
  const started = await Promise.race([
    startLocal({ env, logger, ...(options.port !== undefined ? { port: options.port } : {}) }),
    stopRequested,
  ]);
  if (typeof started === "string") {
    // Everything runs in this one process, so ending it frees every port, and local.json is only
    // written once start-up is complete; waiting for a first sync of a large tenant to finish first
    // would not be what someone pressing Ctrl+C wants.
    output.err(`gw3cx: ${started} received while starting; stopped`);
    process.exit(signalExitCode(started));
  }
  output.out(renderWhereToLook(started));
  const signal = await stopRequested;
  output.err(`gw3cx: ${signal} received, stopping...`);
  const deadline = setTimeout(() => {
    output.err(`gw3cx: still stopping after ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
    process.exit(EXIT.failed);
  }, STOP_DEADLINE_MS);
  await started.close();
  clearTimeout(deadline);
  return EXIT.ok;
}
