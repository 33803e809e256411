import type { DeadLetterSource } from "../../ports/dead-letters.js";
import type { StateStore } from "../../ports/state-store.js";
import { statusConfigFrom } from "../../runtime/status-config.js";
import { STATUS_SECTIONS } from "../../runtime/status-sections.js";
import { DeadLetterLog } from "../../usecases/status/dead-letter-log.js";
import { readStatus } from "../../usecases/status/read-status.js";
import { type CliSettings, type GlobalOptions, openState, resolveCliSettings } from "../cli-context.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderStatus } from "../render/status-tables.js";

/**
 * Where the dead letters are: on SQLite, the log the local stack keeps in the same state; on
 * Firestore (a cloud deployment), the dead-letter topics' hold subscriptions.
 */
async function openDeadLetters(
  cli: CliSettings,
  kind: GlobalOptions["state"],
  state: StateStore,
): Promise<DeadLetterSource & { close?(): Promise<void> }> {
  if (kind === "sqlite") return new DeadLetterLog(state);
  const { createPubSubDeadLetterSource } = await import("../../runtime/cloud-adapters.js");
  return createPubSubDeadLetterSource(cli.settings);
}

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
    const status = await readStatus({ state, deadLetters, sections: STATUS_SECTIONS }, config, new Date());
    if (options.json) output.json(status);
    else output.out(renderStatus(status));
    return EXIT.ok;
  } finally {
    await deadLetters.close?.();
    await state.close();
  }
}
