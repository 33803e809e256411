import { DEFAULT_RUN_LAPSE_MS } from "./run-heartbeat.js";
import type { SyncRun, SyncRunStatus } from "./sync-run-store.js";

/** A run as readers show it: "abandoned" is derived, never stored. */
export type SyncRunState = SyncRunStatus | "abandoned";
export type SyncRunView = Omit<SyncRun, "status"> & { status: SyncRunState };

/**
 * A run still recorded as running whose heartbeat is older than the lapse it promised: its process
 * died (runs recorded before heartbeats existed count from their start, with the default lapse).
 */
export function isAbandoned(run: SyncRun, now: Date): boolean {
  if (run.status !== "running") return false;
  const lastBeat = Date.parse(run.heartbeatAt ?? run.startedAt);
  return now.getTime() - lastBeat > (run.heartbeatLapseMs ?? DEFAULT_RUN_LAPSE_MS);
}

export function withLiveness(run: SyncRun, now: Date): SyncRunView {
  return isAbandoned(run, now) ? { ...run, status: "abandoned" } : run;
}
