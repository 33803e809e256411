import { ExtensionAllocator } from "../../domain/user-sync/extension-allocator.js";
import { planUserSync } from "../../domain/user-sync/plan-user-sync.js";
import type { PbxUser, UserLink, WorkspaceUser } from "../../domain/user-sync/user-sync-types.js";
import { Gw3cxError } from "../../errors.js";
import type { DirectoryUserEvent } from "../../ports/directory.js";
import { type ApplyOutcome, applyUserSyncPlan, nothingApplied } from "./apply-user-sync-plan.js";
import { RealtimeDisableBudget } from "./realtime-disable-budget.js";
import { resolveSyncScope } from "./resolve-sync-scope.js";
import { RunHeartbeat } from "./run-heartbeat.js";
import { newRunId } from "./sync-all-users.js";
import { countPlan, heldDisablesOf, SyncRunStore } from "./sync-run-store.js";
import { toPbxUser, toWorkspaceUser } from "./to-sync-users.js";
import { alreadyLeased, userLease } from "./user-lease.js";
import { UserLinkStore } from "./user-link-store.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

export interface SyncOneUserRequest {
  googleUserId: string;
  event: DirectoryUserEvent;
}

/**
 * "busy": another worker holds this user; redeliver the message later (it will then find nothing
 * to do). "off": user sync is switched off (syncUsers: false); nothing was read or written.
 */
export type SyncOneUserResult =
  | { status: "done"; runId: string; outcome: ApplyOutcome }
  | { status: "busy" }
  | { status: "off" };

/** A deleted Workspace user can no longer be read; its 3CX side says who it was. */
function deletedUser(googleId: string, pbx: PbxUser): WorkspaceUser {
  return {
    googleId,
    email: pbx.EmailAddress,
    givenName: pbx.FirstName,
    familyName: pbx.LastName,
    suspended: false,
    archived: false,
    deleted: true,
    orgUnitPath: "/",
  };
}

/**
 * The real-time path: a Directory notification is only a hint, so the user is read again from
 * Google and from 3CX, and that one user's plan is applied. Holding the user's lease for the
 * whole read-plan-write makes duplicate and concurrent deliveries converge with no extra writes.
 */
export async function syncOneUser(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  request: SyncOneUserRequest,
): Promise<SyncOneUserResult> {
  if (!config.syncUsers) {
    ports.logger.event("userSyncOff", { trigger: "realtime", googleUserId: request.googleUserId });
    return { status: "off" };
  }
  const links = new UserLinkStore(ports.state);
  const runId = newRunId("realtime", ports.clock.now());
  const log = ports.logger.child({ runId, googleUserId: request.googleUserId });
  const lease = userLease(links, ports.clock, runId);
  let result: SyncOneUserResult = { status: "busy" };
  const heartbeat = new RunHeartbeat(
    new SyncRunStore(ports.state),
    ports.clock,
    config.abandonedRunAfterMs,
    (error) => log.event("userSyncHeartbeatFailed", { error }),
  );
  const ran = await lease(request.googleUserId, async () => {
    try {
      result = await syncLeasedUser(ports, config, request, { runId, log, links, heartbeat });
    } finally {
      heartbeat.stop();
    }
  });
  if (!ran) log.event("userSyncUserBusy");
  return result;
}

/** Read, plan and apply one user; the caller holds the user's lease. */
async function syncLeasedUser(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  request: SyncOneUserRequest,
  context: { runId: string; log: UserSyncPorts["logger"]; links: UserLinkStore; heartbeat: RunHeartbeat },
): Promise<SyncOneUserResult> {
  const { runId, log, links, heartbeat } = context;
  const runs = new SyncRunStore(ports.state);
  await runs.start({
    runId,
    trigger: "realtime",
    status: "running",
    startedAt: ports.clock.now().toISOString(),
    errors: [],
    ...heartbeat.firstBeat(),
  });
  heartbeat.start(runId);
  const link = await links.get(request.googleUserId);
  const directoryUser = await ports.directory.getUser(request.googleUserId);
  const pbxUsers = await readPbxUsers(ports, link, directoryUser?.primaryEmail);
  const [pbxUser] = pbxUsers;

  let googleUser: WorkspaceUser | undefined = directoryUser ? toWorkspaceUser(directoryUser) : undefined;
  if (!googleUser && link && pbxUser) googleUser = deletedUser(request.googleUserId, pbxUser);
  if (!googleUser) {
    // Never synced and gone from Google: nothing on the 3CX side to change.
    const outcome = nothingApplied();
    await runs.finish(runId, {
      status: "applied",
      applied: outcome.applied,
      finishedAt: ports.clock.now().toISOString(),
    });
    return { status: "done", runId, outcome };
  }

  const scope = await resolveSyncScope(config, ports.directory, googleUser.email);
  const settings = {
    scope,
    startingExtension: config.startingExtension,
    syncPhoto: config.syncPhoto,
    defaultPhoneRegion: config.phoneRegion,
    sso: config.sso,
  };
  // 3CX users found by email may already belong to other Workspace users: the plan must know.
  const otherLinks = link ? [] : await Promise.all(pbxUsers.map((user) => links.findByThreecxId(user.id)));
  const knownLinks = [link, ...otherLinks].filter((l): l is UserLink => l !== undefined);
  const input = {
    googleUsers: [googleUser],
    pbxUsers,
    links: knownLinks,
    takenNumbers: [] as string[],
    completeListing: false,
  };
  let plan = planUserSync(input, settings);
  // Only a create needs a number, so only then is the PBX asked which are free.
  const refused: string[] = [];
  if (plan.creates.length > 0)
    plan = planUserSync({ ...input, ...(await freeNumbers(ports, config, refused)) }, settings);
  if (plan.disables.length > 0) {
    const budget = new RealtimeDisableBudget(ports.state);
    const limit = await budget.limit(config.safeguard);
    if (!(await budget.tryTake(limit, ports.clock.now()))) {
      const heldDisables = heldDisablesOf(plan);
      log.event("userSyncRealtimeDisableDeferred", { limit });
      await runs.finish(runId, {
        status: "held",
        counts: countPlan(plan),
        heldDisables,
        safeguard: { disables: limit + 1, limit },
        finishedAt: ports.clock.now().toISOString(),
      });
      return { status: "done", runId, outcome: nothingApplied() };
    }
  }
  const outcome = await applyUserSyncPlan(plan, ports, {
    links,
    lease: alreadyLeased,
    concurrency: 1,
    syncPhoto: config.syncPhoto,
    numbers: {
      first: () => freeNumberNow(ports, config, refused),
      // Workers creating users at the same time take numbers from under each other: read again
      // what is free now, past every number this user was refused.
      nextAfter: (number) => {
        refused.push(number);
        return freeNumberNow(ports, config, refused);
      },
    },
  });
  await runs.finish(runId, {
    status: outcome.errors.length > 0 ? "failed" : "applied",
    counts: countPlan(plan),
    applied: outcome.applied,
    errors: outcome.errors,
    finishedAt: ports.clock.now().toISOString(),
  });
  log.event("userSyncApplied", {
    event: request.event,
    applied: outcome.applied,
    errors: outcome.errors.length,
  });
  return { status: "done", runId, outcome };
}

/**
 * Where this user's number comes from: with startingExtension, every DN's number is read to skip
 * them; without it, the PBX's first available number is free already. Numbers the PBX refused
 * for this user count as taken either way.
 */
async function freeNumbers(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  refused: readonly string[],
): Promise<{ takenNumbers: string[]; firstAvailableNumber?: string }> {
  if (config.startingExtension !== undefined) {
    const dns = await ports.threecx.listDns();
    return { takenNumbers: [...dns.map((dn) => dn.Number), ...refused] };
  }
  return {
    takenNumbers: [...refused],
    firstAvailableNumber: await ports.threecx.getFirstAvailableExtensionNumber(),
  };
}

/** The first number free now, read from the PBX, that this user was not refused. */
async function freeNumberNow(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  refused: readonly string[],
): Promise<string> {
  const free = await freeNumbers(ports, config, refused);
  const start = config.startingExtension ?? free.firstAvailableNumber;
  if (start === undefined)
    throw new Gw3cxError("USER_SYNC_NO_NUMBER", "the PBX named no free extension number");
  return new ExtensionAllocator(start, free.takenNumbers).allocate();
}

/**
 * The linked 3CX user, or for a user not linked yet, every 3CX user with the same email: the
 * planner adopts one only when it is the only candidate (a PBX may hold duplicate emails).
 */
async function readPbxUsers(
  ports: UserSyncPorts,
  link: UserLink | undefined,
  email: string | undefined,
): Promise<PbxUser[]> {
  if (link) {
    const user = await ports.threecx.getUser(link.threecxId);
    return user ? [toPbxUser(user)] : [];
  }
  if (!email) return [];
  return (await ports.threecx.listUsers({ emailAddress: email })).map(toPbxUser);
}
