import { sendDailyDigest } from "../../usecases/mail/daily-digest.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { openDeadLetters } from "../dead-letter-source.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";

/** `gw3cx digest`: the daily digest of the last 24 hours' failures and dead letters, mailed now. */
export async function runDigest(global: GlobalOptions, options: { json: boolean }): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  try {
    const deadLetters = await openDeadLetters(cli, global.state, runtime.userSync.state);
    const digest = await sendDailyDigest(
      { ...runtime.userSync, deadLetters },
      { from: runtime.config.mailSender, to: runtime.config.safeguard.adminEmail },
    ).finally(() => deadLetters.close?.());
    if (options.json) output.json(digest);
    else
      output.out(
        `${digest.runs.length} runs need a look and ${digest.deadLetters.length} messages were dead-lettered since ${digest.since}; ` +
          (digest.mailed
            ? `mailed to ${runtime.config.safeguard.adminEmail}.`
            : "not mailed (nothing to report, or safeguard.adminEmail or google.mailSender unset)."),
      );
    return EXIT.ok;
  } finally {
    await runtime.close();
  }
}
