import cliProgress from "cli-progress";
import type { SyncAllUsersOptions } from "../../usecases/user-sync/sync-all-users.js";

type ProgressEvent = Parameters<NonNullable<SyncAllUsersOptions["onProgress"]>>[0];

export interface SyncProgress {
  onProgress(event: ProgressEvent): void;
  stop(): void;
}

/**
 * A progress bar for long runs, on an interactive terminal only: reading counts users as the
 * Directory listing arrives (its total is unknown), applying counts users written of those planned.
 */
export function createSyncProgress(stream: NodeJS.WriteStream = process.stdout): SyncProgress {
  const bar = new cliProgress.SingleBar(
    {
      format: "{phase} [{bar}] {value}/{total} users",
      stream,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: ProgressEvent["phase"] | undefined;
  return {
    onProgress(event) {
      const total = event.total ?? event.done;
      if (phase !== event.phase) {
        if (phase) bar.stop();
        phase = event.phase;
        bar.start(total, event.done, { phase: event.phase === "read" ? "reading " : "applying" });
        return;
      }
      bar.setTotal(total);
      bar.update(event.done);
    },
    stop() {
      if (phase) bar.stop();
    },
  };
}
