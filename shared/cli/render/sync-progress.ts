import cliProgress from "cli-progress";
import type { SyncAllUsersOptions } from "../../usecases/user-sync/sync-all-users.js";

type ProgressEvent = Parameters<NonNullable<SyncAllUsersOptions["onProgress"]>>[0];

export interface SyncProgress {
  onProgress(event: ProgressEvent): void;
  stop(): void;
}

/** A bar needs a total; a phase without one (reading: the Directory never says how many) shows a count. */
const FORMAT_WITH_TOTAL = "{phase} [{bar}] {value}/{total} users";
const FORMAT_COUNT_ONLY = "{phase} {value} users so far";

/**
 * Progress of a long run on an interactive terminal, on stderr so that stdout keeps only the result
 * (`gw3cx sync --json | jq` still shows progress). Reading counts users as the Directory listing
 * arrives; applying shows a bar of users written out of those planned.
 */
export function createSyncProgress(stream: NodeJS.WriteStream = process.stderr): SyncProgress {
  let phase: ProgressEvent["phase"] | undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(event) {
      if (phase !== event.phase || !bar) {
        bar?.stop();
        phase = event.phase;
        bar = new cliProgress.SingleBar(
          {
            format: event.total === undefined ? FORMAT_COUNT_ONLY : FORMAT_WITH_TOTAL,
            stream,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        // A count-only phase still needs a total for cli-progress; it is never shown.
        bar.start(event.total ?? event.done, event.done, {
          phase: event.phase === "read" ? "reading " : "applying",
        });
        return;
      }
      if (event.total !== undefined) bar.setTotal(event.total);
      else bar.setTotal(event.done);
      bar.update(event.done);
    },
    stop() {
      bar?.stop();
    },
  };
}
