import { listOutbox, outboxDirOf } from "../../adapters/local/eml-outbox.js";
import { readStatus } from "../../usecases/status/read-status.js";
import { type GlobalOptions, openState, resolveCliSettings } from "../cli-context.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderOutbox } from "../render/outbox-table.js";
import { renderStatus } from "../render/status-tables.js";

/** `gw3cx status`: reads the state only; neither Google nor 3CX is contacted. */
export async function runStatus(global: GlobalOptions, options: { json: boolean }): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const state = await openState(cli.settings, global.state);
  try {
    const status = await readStatus(state, new Date());
    const outbox = await listOutbox(outboxDirOf(cli.settings.embedded.stateDbPath));
    if (options.json) output.json({ ...status, outbox });
    else output.out(`${renderStatus(status)}\n\n${renderOutbox(outbox)}`);
    return EXIT.ok;
  } finally {
    await state.close();
  }
}
