import { redactString } from "../../logging/redact.js";
import type { SyncRun } from "../../usecases/user-sync/sync-run-store.js";

/** One `gw3cx: CODE: message` line per error of a run, for stderr. */
export function renderRunErrors(run: SyncRun): string {
  return run.errors
    .map(
      (e) =>
        `gw3cx: ${e.code}: ${redactString(e.message)}${e.googleId ? ` (Google user ${e.googleId})` : ""}`,
    )
    .join("\n");
}
