import { randomUUID } from "node:crypto";
import { UserSyncPlanner } from "../../domain/user-sync/plan-user-sync.js";
import { evaluateSafeguard } from "../../domain/user-sync/safeguard.js";
import type { UserSyncPlan } from "../../domain/user-sync/user-sync-plan.js";
import type { WorkspaceUser } from "../../domain/user-sync/user-sync-types.js";
import { isGw3cxError } from "../../errors.js";
import { heldRunNotice } from "../mail/held-run-notice.js";
import { type ApplyOutcome, applyUserSyncPlan } from "./apply-user-sync-plan.js";
import { RealtimeDisableBudget } from "./realtime-disable-budget.js";
import { resolveSyncScope } from "./resolve-sync-scope.js";
import { RunHeartbeat } from "./run-heartbeat.js";
import {
  countPlan,
  heldDisablesOf,
  type SyncRun,
  type SyncRunError,
  SyncRunStore,
  type SyncTrigger,
} from "./sync-run-store.js";
import { toPbxUser, toWorkspaceUser } from "./to-sync-users.js";
import { LEASE_TTL_MS, userLease } from "./user-lease.js";
import { UserLinkStore } from "./user-link-store.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

export interface SyncAllUsersOptions {
  trigger: SyncTrigger;
  /** Plan and record, apply nothing (`gw3cx plan`). */
  dryRun?: boolean;
  /** Disables an admin approved (`gw3cx sync --approve RUN`): these may pass the safeguard. */
  approvedDisables?: ReadonlySet<string>;
  approves?: string;
  /** Called as users are read and written, for progress bars. */
  onProgress?: (event: { phase: "read" | "apply"; done: number; total?: number }) => void;
  /**
   * How long to wait, once the rest is applied, for users another worker holds; past it they are
   * reported as not applied and the run fails. Default: long enough for a dead worker's lease to lapse.
   */
  leaseWaitMs?: number;
}

/** A dead worker's lease lapses LEASE_TTL_MS after it was taken; a little more covers clock steps. */
export const DEFAULT_LEASE_WAIT_MS = LEASE_TTL_MS + 5_000;

export interface SyncAllUsersResult {
  run: SyncRun;
  plan?: UserSyncPlan;
  outcome?: ApplyOutcome;
}

export function newRunId(trigger: SyncTrigger, now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${trigger}-${randomUUID().slice(0, 8)}`;
}

/**
 * The full reconcile (nightly, `gw3cx sync`, or an approval): read everyone on both sides, plan,
 * hold the run if the safeguard trips, otherwise apply. Every run is recorded, held or not.
 */
export async function syncAllUsers(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  options: SyncAllUsersOptions,
): Promise<SyncAllUsersResult> {
  const heartbeat = new RunHeartbeat(
    new SyncRunStore(ports.state),
    ports.clock,
    config.abandonedRunAfterMs,
    (error) => ports.logger.event("userSyncHeartbeatFailed", { error }),
  );
  try {
    return await syncAllUsersWithHeartbeat(ports, config, options, heartbeat);
  } finally {
    heartbeat.stop();
  }
}

async function syncAllUsersWithHeartbeat(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  options: SyncAllUsersOptions,
  heartbeat: RunHeartbeat,
): Promise<SyncAllUsersResult> {
  const runs = new SyncRunStore(ports.state);
  const links = new UserLinkStore(ports.state);
  const runId = newRunId(options.trigger, ports.clock.now());
  const log = ports.logger.child({ runId });
  const run: SyncRun = {
    runId,
    trigger: options.trigger,
    status: "running",
    startedAt: ports.clock.now().toISOString(),
    errors: [],
    ...(options.approves ? { approves: options.approves } : {}),
    ...heartbeat.firstBeat(),
  };
  await runs.start(run);
  heartbeat.start(runId);
  log.event("userSyncRunStarted", { trigger: options.trigger, dryRun: Boolean(options.dryRun) });

  const finish = async (fields: Partial<SyncRun>): Promise<SyncRun> => {
    heartbeat.stop();
    Object.assign(run, fields, { finishedAt: ports.clock.now().toISOString() });
    await runs.finish(runId, { ...fields, finishedAt: run.finishedAt });
    return run;
  };
  if (!config.syncUsers && !options.dryRun) {
    // Recorded, so `gw3cx status` shows the nightly run found user sync off rather than nothing.
    log.event("userSyncOff", { trigger: options.trigger });
    return { run: await finish({ status: "off" }) };
  }

  let plan: UserSyncPlan;
  let planner: UserSyncPlanner | undefined;
  try {
    // The 3CX side, the links and the scope are read while the Directory pages (sequential by
    // nature) come in, starting once the first page is in: the delegation handshake before it is
    // then not held up behind the parsing of 3CX pages. From then on each page is planned as it
    // arrives, in the gaps while the next one is on its way; users read before the other side was
    // in wait in `pending`, in listing order (the order extension numbers are given out in).
    const pending: WorkspaceUser[] = [];
    let plannerReady: Promise<UserSyncPlanner> | undefined;
    const startOtherReads = () => {
      if (!plannerReady) {
        plannerReady = readOtherSide(ports, links, config).then((side) => {
          planner = plannerFor(side, config);
          for (const user of pending.splice(0)) planner.add(user);
          return planner;
        });
        // Only marks a failure as observed: awaiting `plannerReady` still throws.
        plannerReady.catch(() => undefined);
      }
      return plannerReady;
    };
    let read = 0;
    for await (const user of ports.directory.listUsers()) {
      startOtherReads();
      const workspaceUser = toWorkspaceUser(user);
      if (planner) planner.add(workspaceUser);
      else pending.push(workspaceUser);
      if (++read % 500 === 0) options.onProgress?.({ phase: "read", done: read });
    }
    // Only a listing read to the end gets here: one that fails half-way has thrown, so its missing
    // users can never be mistaken for users deleted in Google.
    const ready = await startOtherReads();
    planner = ready;
    plan = ready.finish(true);
  } catch (error) {
    log.event("userSyncFailed", { error });
    const code = isGw3cxError(error) ? error.code : "UNEXPECTED";
    return {
      run: await finish({
        status: "failed",
        errors: [{ action: "read", code, message: String((error as Error).message ?? error) }],
      }),
    };
  }

  await new RealtimeDisableBudget(ports.state).recordManagedCount(plan.managedCount);
  const counts = countPlan(plan);
  log.event("userSyncPlanned", { counts, managed: plan.managedCount });
  for (const problem of plan.problems)
    log.event("userSyncValueTooLong", {
      googleUserId: problem.googleId,
      field: problem.field,
      length: problem.length,
      limit: problem.limit,
    });
  if (options.dryRun) return { run: await finish({ status: "planned", counts }), plan };

  const verdict = evaluateSafeguard(plan, config.safeguard);
  const unapproved = plan.disables.filter((d) => !options.approvedDisables?.has(d.googleId));
  if (verdict.held && unapproved.length > 0) {
    const heldDisables = heldDisablesOf(plan);
    log.event("userSyncHeld", { disables: verdict.disables, limit: verdict.limit });
    await mailHeldRun(ports, config, runId, heldDisables, verdict, log);
    return {
      run: await finish({
        status: "held",
        counts,
        heldDisables,
        safeguard: { disables: verdict.disables, limit: verdict.limit },
      }),
      plan,
    };
  }

  let applied = 0;
  const total = counts.creates + counts.adoptions + counts.updates + counts.disables + counts.enables;
  const numbers = planner?.numbers;
  const outcome = await applyUserSyncPlan(plan, ports, {
    links,
    lease: userLease(links, ports.clock, runId),
    concurrency: config.concurrency,
    syncPhoto: config.syncPhoto,
    numbers: {
      // Only when the PBX named no first available number as the run read it: ask it again.
      first: () => ports.threecx.getFirstAvailableExtensionNumber(),
      nextAfter: async (refused) =>
        numbers ? numbers.allocateAfterRefusal(refused) : ports.threecx.getFirstAvailableExtensionNumber(),
    },
    leaseWaitMs: options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS,
    onUserSettled: () => options.onProgress?.({ phase: "apply", done: ++applied, total }),
  });
  const waitedSeconds = Math.round((options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS) / 1000);
  const leased = outcome.busy.map(
    ({ googleId, action }): SyncRunError => ({
      googleId,
      action,
      code: "USER_LEASED",
      message: `another worker held this user for more than ${waitedSeconds} s; not applied, the next run retries it`,
    }),
  );
  if (leased.length > 0) log.event("userSyncUsersLeased", { users: leased.length });
  const errors = [...outcome.errors, ...leased];
  log.event("userSyncApplied", {
    applied: outcome.applied,
    errors: outcome.errors.length,
    busy: outcome.busy.length,
  });
  return {
    run: await finish({
      status: errors.length > 0 ? "failed" : "applied",
      counts,
      applied: outcome.applied,
      errors,
    }),
    plan,
    outcome,
  };
}

/** A planner for the other side as read: users are the Extension DNs, so their numbers and the other DNs' are every number in use. */
function plannerFor(
  [pbxUsers, dns, storedLinks, scope, firstFree]: Awaited<ReturnType<typeof readOtherSide>>,
  config: UserSyncConfig,
): UserSyncPlanner {
  return new UserSyncPlanner(
    {
      pbxUsers: pbxUsers.map(toPbxUser),
      links: storedLinks,
      takenNumbers: [...pbxUsers.map((user) => user.Number), ...dns.map((dn) => dn.Number)],
      firstAvailableNumber: firstFree,
    },
    {
      scope,
      startingExtension: config.startingExtension,
      syncPhoto: config.syncPhoto,
      defaultPhoneRegion: config.phoneRegion,
      sso: config.sso,
    },
  );
}

function readOtherSide(ports: UserSyncPorts, links: UserLinkStore, config: UserSyncConfig) {
  return Promise.all([
    ports.threecx.listUsers(),
    ports.threecx.listDns({ exceptUserExtensions: true }),
    // An embedded store reads synchronously: on a later turn, once the requests above are on the wire.
    new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => links.all()),
    resolveSyncScope(config, ports.directory),
    // Without startingExtension, numbers start where the PBX says; asked once, every create of the
    // run is numbered from there (ask per create and concurrent creates all get the same one).
    config.startingExtension === undefined ? firstAvailableNumber(ports) : undefined,
  ]);
}

/**
 * The PBX's first available number, or undefined when it names none (every number in use): then
 * only the creates fail, each with the PBX's reason, and the run's other changes still go ahead.
 */
async function firstAvailableNumber(ports: UserSyncPorts): Promise<string | undefined> {
  try {
    return await ports.threecx.getFirstAvailableExtensionNumber();
  } catch (error) {
    if (isGw3cxError(error, "THREECX_REJECTED")) return undefined;
    throw error;
  }
}

async function mailHeldRun(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  runId: string,
  disables: NonNullable<SyncRun["heldDisables"]>,
  verdict: { disables: number; limit: number },
  log: UserSyncPorts["logger"],
): Promise<void> {
  const to = config.safeguard.adminEmail;
  const from = config.mailSender;
  if (!ports.mailer || !to || !from) return;
  try {
    await ports.mailer.send(heldRunNotice(from, to, runId, disables, verdict));
  } catch (error) {
    log.event("userSyncHoldMailFailed", { error });
  }
}
