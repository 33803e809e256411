import type { DeadLetterSource } from "../ports/dead-letters.js";
import type { StateStore } from "../ports/state-store.js";
import { DeadLetterLog } from "../usecases/status/dead-letter-log.js";
import type { CliSettings, GlobalOptions } from "./cli-context.js";

/**
 * Where the dead letters are: on SQLite, the log the local stack keeps in the same state; on
 * Firestore (a cloud deployment), the dead-letter topics' hold subscriptions.
 */
export async function openDeadLetters(
  cli: CliSettings,
  kind: GlobalOptions["state"],
  state: StateStore,
): Promise<DeadLetterSource & { close?(): Promise<void> }> {
  if (kind === "sqlite") return new DeadLetterLog(state);
  const { createPubSubDeadLetterSource } = await import("../runtime/cloud-adapters.js");
  return createPubSubDeadLetterSource(cli.settings);
}
