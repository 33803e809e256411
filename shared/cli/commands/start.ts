import { loadSettings } from "../../config/load-settings.js";
import { Gw3cxError } from "../../errors.js";
import type { GlobalOptions } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderWhereToLook } from "../render/where-to-look.js";
import { startLocal } from "../start-local.js";

/** `gw3cx start` (`npm start`): the single-machine default, until SIGINT or SIGTERM. */
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
  const stack = await startLocal({
    env,
    logger,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  output.out(renderWhereToLook(stack));
  const signal = await nextTerminationSignal();
  output.err(`gw3cx: ${signal} received, stopping...`);
  await stack.close();
  return EXIT.ok;
}

/** Resolves on the first SIGINT or SIGTERM; a second one stops at once, in case closing hangs. */
function nextTerminationSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off("SIGINT", first);
      process.off("SIGTERM", first);
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      resolve(signal);
    };
    process.on("SIGINT", first);
    process.on("SIGTERM", first);
  });
}
