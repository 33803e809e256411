import { DEFAULT_RUN_LAPSE_MS } from "./run-heartbeat.js";
import type { SyncRun, SyncRunStatus } from "./sync-run-store.js";

/** A run as readers show it: "abandoned" is derived, never stored. */
export type SyncRunState = SyncRunStatus | "abandoned";
export type SyncRunView = Omit<SyncRun, "status"> & { status: SyncRunState };

/** What liveness reads of any recorded run (user sync, personal contacts). */
export interface BeatingRun {
  status: string;
  startedAt: string;
  heartbeatAt?: string;
  heartbeatLapseMs?: number;
}
/** A run as readers show it, whatever its kind: "abandoned" in place of a lapsed "running". */
export type LiveView<T extends BeatingRun> = Omit<T, "status"> & { status: T["status"] | "abandoned" };

/**
 * A run still recorded as running whose heartbeat is older than the lapse it promised: its process
 * died (runs recorded before heartbeats existed count from their start, with the default lapse).
 */
export function isAbandoned(run: BeatingRun, now: Date): boolean {
  if (run.status !== "running") return false;
  const lastBeat = Date.parse(run.heartbeatAt ?? run.startedAt);
  return now.getTime() - lastBeat > (run.heartbeatLapseMs ?? DEFAULT_RUN_LAPSE_MS);
}

export function withLiveness(run: SyncRun, now: Date): SyncRunView;
export function withLiveness<T extends BeatingRun>(run: T, now: Date): LiveView<T>;
export function withLiveness<T extends BeatingRun>(run: T, now: Date): LiveView<T> {
  return isAbandoned(run, now) ? { ...run, status: "abandoned" } : run;
}
