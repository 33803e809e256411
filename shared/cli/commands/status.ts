import { outboxStatusSection } from "../../runtime/outbox-status-section.js";
import { statusConfigFrom } from "../../runtime/status-config.js";
import { STATUS_SECTIONS } from "../../runtime/status-sections.js";
import { readStatus } from "../../usecases/status/read-status.js";
import { type GlobalOptions, openState, resolveCliSettings } from "../cli-context.js";
import { openDeadLetters } from "../dead-letter-source.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderStatus } from "../render/status-tables.js";

/** `gw3cx status`: reads the state (and the dead letters) only; neither Google nor 3CX is contacted. */
export async function runStatus(global: GlobalOptions, options: { json: boolean }): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const state = await openState(cli.settings, global.state);
  const deadLetters = await openDeadLetters(cli, global.state, state);
  try {
    const config = statusConfigFrom(cli.settings, {
      host: global.state === "firestore" ? "cloud" : "local",
      simulators: cli.localStack?.simulators !== undefined,
    });
    // The .eml outbox exists only where the mail was written: beside the local state.
    const sections =
      global.state === "sqlite"
        ? [...STATUS_SECTIONS, outboxStatusSection(cli.settings.embedded.stateDbPath)]
        : STATUS_SECTIONS;
    const status = await readStatus({ state, deadLetters, sections }, config, new Date());
    if (options.json) output.json(status);
    else output.out(renderStatus(status));
    return EXIT.ok;
  } finally {
    await deadLetters.close?.();
    await state.close();
  }
}
