import type { UserSyncPlan } from "../../domain/user-sync/user-sync-plan.js";
import type { StateStore } from "../../ports/state-store.js";

export type SyncTrigger = "daily" | "manual" | "realtime" | "approval";
/** "off": user sync is switched off (syncUsers: false), so nothing was read or written. */
export type SyncRunStatus = "running" | "planned" | "held" | "applied" | "failed" | "approved" | "off";

export interface SyncRunCounts {
  creates: number;
  adoptions: number;
  updates: number;
  disables: number;
  enables: number;
  skips: number;
  problems: number;
}

export interface SyncRunError {
  googleId?: string;
  action: string;
  code: string;
  message: string;
}

/** One user sync run, as recorded in the state store (collection "syncRuns"). */
export interface SyncRun {
  runId: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  startedAt: string;
  finishedAt?: string;
  /** While running: the last sign of life, renewed by the running process (run-heartbeat.ts). */
  heartbeatAt?: string;
  /** How long without a heartbeat before readers count the run as abandoned. */
  heartbeatLapseMs?: number;
  counts?: SyncRunCounts;
  /** Writes that went through, by kind. */
  applied?: SyncRunCounts;
  errors: SyncRunError[];
  /** For held runs: who would be disabled, so an admin can review before approving. */
  heldDisables?: { googleId: string; email: string; threecxId: number; number: string; reason: string }[];
  safeguard?: { disables: number; limit: number };
  /** The held run this approval applied, or the run that approved this held one. */
  approves?: string;
  approvedBy?: string;
}

const RUNS = "syncRuns";

/** The disables of a held run, as recorded for the admin to review. */
export function heldDisablesOf(plan: UserSyncPlan): NonNullable<SyncRun["heldDisables"]> {
  return plan.disables.map((d) => ({
    googleId: d.googleId,
    email: d.email,
    threecxId: d.threecxId,
    number: d.number,
    reason: d.reason,
  }));
}

export function countPlan(plan: UserSyncPlan): SyncRunCounts {
  return {
    creates: plan.creates.length,
    adoptions: plan.adoptions.length,
    updates: plan.updates.length,
    disables: plan.disables.length,
    enables: plan.enables.length,
    skips: plan.skips.length,
    problems: plan.problems.length,
  };
}

export class SyncRunStore {
  constructor(private readonly state: StateStore) {}

  async start(run: SyncRun): Promise<void> {
    await this.state.create(RUNS, run.runId, run as unknown as Record<string, unknown>);
  }

  async finish(runId: string, fields: Partial<SyncRun>): Promise<void> {
    await this.state.update(RUNS, runId, fields as Record<string, unknown>);
  }

  async beat(runId: string, at: Date): Promise<void> {
    await this.state.update(RUNS, runId, { heartbeatAt: at.toISOString() });
  }

  async get(runId: string): Promise<SyncRun | undefined> {
    return (await this.state.get<Record<string, unknown>>(RUNS, runId))?.data as SyncRun | undefined;
  }

  /** Most recent first. */
  async latest(limit: number): Promise<SyncRun[]> {
    const docs = await this.state.query<Record<string, unknown>>(RUNS, {
      orderBy: { field: "startedAt", direction: "desc" },
      limit,
    });
    return docs.map((d) => d.data as unknown as SyncRun);
  }

  async held(): Promise<SyncRun[]> {
    const docs = await this.state.query<Record<string, unknown>>(RUNS, { where: [["status", "==", "held"]] });
    return docs.map((d) => d.data as unknown as SyncRun);
  }
}
