import { isGw3cxError } from "../../errors.js";
import type { StateStore } from "../../ports/state-store.js";
import { type ContactRunCounts, emptyCounts } from "./contact-counts.js";
import type { UserContactsResult } from "./user-contacts-result.js";

export { type ContactRunCounts, emptyCounts };

export type ContactRunTrigger = "daily" | "manual";
/**
 * running: users still under way (in the cloud, one worker per user); applied: every user done,
 * none failed; failed: at least one user failed, or the run could not start; unsupported: the PBX is
 * older than 20.0.9 (no personal-contact functions); off: syncPersonalContacts is off; planned: a dry run.
 */
export type ContactRunStatus = "running" | "applied" | "failed" | "unsupported" | "off" | "planned";

export interface ContactRunNote {
  email: string;
  code: string;
  message: string;
}

/** One contacts run (collection "contactRuns"). Lists are capped; the counts are complete. */
export interface ContactRun {
  runId: string;
  trigger: ContactRunTrigger;
  status: ContactRunStatus;
  startedAt: string;
  finishedAt?: string;
  /**
   * While running: the last sign of life. The process holding the run (CLI, `npm start`) renews it;
   * in the cloud each worker renews it while it syncs its user and when it adds its result. Readers
   * show a run whose heartbeat lapsed as abandoned (run-liveness.ts).
   */
  heartbeatAt?: string;
  /** How long without a heartbeat before readers count the run as abandoned. */
  heartbeatLapseMs?: number;
  pbxVersion?: string | null;
  /** Why the run could not go ahead (unsupported PBX, a failed listing). */
  error?: { code: string; message: string };
  usersExpected: number;
  users: { done: number; failed: number; noLabel: number };
  contacts: ContactRunCounts;
  failures: ContactRunNote[];
  /** Per-user notes that are not failures: no label, limit reached, overflow. */
  notes: ContactRunNote[];
}

const RUNS = "contactRuns";
const RUN_USERS = "contactRunUsers";
/** Enough to act on; the counts hold the rest. */
export const MAX_LISTED = 50;

export class ContactRunStore {
  constructor(private readonly state: StateStore) {}

  async start(run: ContactRun): Promise<void> {
    await this.state.create(RUNS, run.runId, run as unknown as Record<string, unknown>);
  }

  async update(runId: string, fields: Partial<ContactRun>): Promise<void> {
    await this.state.update(RUNS, runId, fields as Record<string, unknown>);
  }

  async beat(runId: string, at: Date): Promise<void> {
    await this.state.update(RUNS, runId, { heartbeatAt: at.toISOString() });
  }

  async get(runId: string): Promise<ContactRun | undefined> {
    return (await this.state.get<Record<string, unknown>>(RUNS, runId))?.data as ContactRun | undefined;
  }

  async latest(limit: number): Promise<ContactRun[]> {
    const docs = await this.state.query<Record<string, unknown>>(RUNS, {
      orderBy: { field: "startedAt", direction: "desc" },
      limit,
    });
    return docs.map((d) => d.data as unknown as ContactRun);
  }

  /** Whether this user's result is already in the run (a redelivered message finds it there). */
  async hasUser(runId: string, googleId: string): Promise<boolean> {
    return (await this.state.get(RUN_USERS, `${runId}_${googleId}`)) !== undefined;
  }

  /**
   * Adds one user's result to the run, once per user however often the message comes, and closes
   * the run when the last expected user is in. Compare-and-set, so workers finishing at once add up.
   */
  async addUser(
    runId: string,
    result: UserContactsResult,
    finishedAt: Date,
  ): Promise<ContactRun | undefined> {
    try {
      await this.state.create(RUN_USERS, `${runId}_${result.googleId}`, { runId, googleId: result.googleId });
    } catch (error) {
      if (isGw3cxError(error, "STATE_ALREADY_EXISTS")) return this.get(runId);
      throw error;
    }
    for (;;) {
      const doc = await this.state.get<Record<string, unknown>>(RUNS, runId);
      if (!doc) return undefined;
      const run = withUser(doc.data as unknown as ContactRun, result, finishedAt);
      try {
        await this.state.update(RUNS, runId, run as unknown as Record<string, unknown>, {
          expectedVersion: doc.version,
        });
        return run;
      } catch (error) {
        if (!isGw3cxError(error, "STATE_VERSION_CONFLICT")) throw error;
      }
    }
  }
}

/** The run with one more user's result in it. */
export function withUser(run: ContactRun, result: UserContactsResult, finishedAt: Date): ContactRun {
  const next: ContactRun = structuredClone(run);
  if (result.status === "failed") next.users.failed++;
  else if (result.status === "noLabel") next.users.noLabel++;
  else next.users.done++;
  for (const key of Object.keys(next.contacts) as (keyof ContactRunCounts)[])
    next.contacts[key] += result.counts[key];
  if (result.failure && next.failures.length < MAX_LISTED)
    next.failures.push({ email: result.email, ...result.failure });
  for (const note of result.notes)
    if (next.notes.length < MAX_LISTED) next.notes.push({ email: result.email, ...note });
  const finished = next.users.done + next.users.failed + next.users.noLabel;
  // A user's result coming in is a sign of life, whichever worker brings it.
  if (next.status === "running") next.heartbeatAt = finishedAt.toISOString();
  if (next.status === "running" && finished >= next.usersExpected) {
    next.status = next.users.failed > 0 ? "failed" : "applied";
    next.finishedAt = finishedAt.toISOString();
  }
  return next;
}
