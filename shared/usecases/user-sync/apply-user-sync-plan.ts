import pLimit from "p-limit";
import type {
  PlannedAdoption,
  PlannedCreate,
  PlannedDisable,
  PlannedEnable,
  PlannedUpdate,
  UserSyncPlan,
} from "../../domain/user-sync/user-sync-plan.js";
import type { PbxUserWrites, UserLink } from "../../domain/user-sync/user-sync-types.js";
import { isGw3cxError } from "../../errors.js";
import { isNumberInUse, type ThreeCxUserChanges, type ThreeCxUserSummary } from "../../ports/threecx.js";
import { findCreatedUser } from "./find-created-user.js";
import type { SyncRunCounts, SyncRunError } from "./sync-run-store.js";
import type { UserLinkStore } from "./user-link-store.js";
import type { UserSyncPorts } from "./user-sync-ports.js";

/** Runs `work` while holding the user's lease; returns false (and does nothing) if another worker holds it. */
export type UserLease = (googleId: string, work: () => Promise<void>) => Promise<boolean>;

/** Numbers for creates beyond what the plan gave them. */
export interface ExtensionNumberSource {
  /** For a create planned without a number (the PBX named no first available number when read). */
  first(): Promise<string>;
  /** After the PBX refused `refused` because some DN took it since it was read: the next to try. */
  nextAfter(refused: string): Promise<string>;
}

export interface ApplyOptions {
  links: UserLinkStore;
  lease: UserLease;
  concurrency: number;
  syncPhoto: boolean;
  numbers: ExtensionNumberSource;
  /**
   * How long to keep trying, once everything else is applied, for users another worker holds
   * (a live one finishes in moments; a dead one's lease lapses after LEASE_TTL_MS). 0: not at all.
   */
  leaseWaitMs?: number;
  /** Called once per user when its work is settled (written, failed or given up as busy). */
  onUserSettled?: () => void;
}

export interface ApplyOutcome {
  /** Writes this run made itself: a user another worker created or adopted first is not counted. */
  applied: SyncRunCounts;
  errors: SyncRunError[];
  /** Users another worker held for longer than leaseWaitMs: nothing was written for them. */
  busy: { googleId: string; action: UserJob["kind"] }[];
}

/** Attempts at one create whose number keeps being taken by others between choosing and creating. */
export const MAX_NUMBER_ATTEMPTS = 20;
/** First and longest pause between attempts at a user another worker holds. */
const LEASE_POLL_MS = { first: 100, max: 2_000 } as const;

/** Everything that happens to one 3CX user in a run, so an enable and an update are one PATCH. */
export type UserJob =
  | { kind: "create"; googleId: string; action: PlannedCreate }
  | { kind: "adopt"; googleId: string; action: PlannedAdoption }
  | { kind: "patch"; googleId: string; update?: PlannedUpdate; enable?: PlannedEnable }
  | { kind: "disable"; googleId: string; action: PlannedDisable };

function jobsOf(plan: UserSyncPlan): UserJob[] {
  const patches = new Map<string, Extract<UserJob, { kind: "patch" }>>();
  const patch = (googleId: string) => {
    let job = patches.get(googleId);
    if (!job) {
      job = { kind: "patch", googleId };
      patches.set(googleId, job);
    }
    return job;
  };
  for (const update of plan.updates) patch(update.googleId).update = update;
  for (const enable of plan.enables) patch(enable.googleId).enable = enable;
  return [
    ...plan.disables.map((action): UserJob => ({ kind: "disable", googleId: action.googleId, action })),
    ...patches.values(),
    ...plan.adoptions.map((action): UserJob => ({ kind: "adopt", googleId: action.googleId, action })),
    ...plan.creates.map((action): UserJob => ({ kind: "create", googleId: action.googleId, action })),
  ];
}

const emptyCounts = (): SyncRunCounts => ({
  creates: 0,
  adoptions: 0,
  updates: 0,
  disables: 0,
  enables: 0,
  skips: 0,
  problems: 0,
});

export const nothingApplied = (): ApplyOutcome => ({ applied: emptyCounts(), errors: [], busy: [] });

/** Applies a plan to 3CX and records the links, a bounded number of users at a time. */
export async function applyUserSyncPlan(
  plan: UserSyncPlan,
  ports: UserSyncPorts,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  const outcome = nothingApplied();
  const limit = pLimit(options.concurrency);
  const photoOf = async (googleId: string): Promise<string | undefined> => {
    const photo = await ports.directory.getUserPhoto(googleId);
    return photo ? `data:${photo.mimeType};base64,${photo.data.toString("base64")}` : undefined;
  };

  /** Applies one user's job under its lease: "busy" if another worker holds the user. */
  const run = async (job: UserJob): Promise<"settled" | "busy"> => {
    try {
      const ran = await options.lease(job.googleId, async () => {
        switch (job.kind) {
          case "create":
            if (await create(job.action)) outcome.applied.creates += 1;
            return;
          case "adopt":
            if (await adopt(job.action)) outcome.applied.adoptions += 1;
            return;
          case "patch":
            await patchUser(job);
            if (job.update) outcome.applied.updates += 1;
            if (job.enable) outcome.applied.enables += 1;
            return;
          case "disable":
            await disable(job.action);
            outcome.applied.disables += 1;
            return;
        }
      });
      return ran ? "settled" : "busy";
    } catch (error) {
      outcome.errors.push({
        googleId: job.googleId,
        action: job.kind,
        code: isGw3cxError(error) ? error.code : "UNEXPECTED",
        message: error instanceof Error ? error.message : String(error),
      });
      ports.logger.event("userSyncActionFailed", { googleUserId: job.googleId, action: job.kind, error });
      return "settled";
    }
  };

  /** False when there was nothing to create: an earlier delivery or another run linked the user first. */
  const create = async (action: PlannedCreate): Promise<boolean> => {
    if (await options.links.get(action.googleId)) return false;
    const contactImage = options.syncPhoto && action.photoEtag ? await photoOf(action.googleId) : undefined;
    let number = action.number ?? (await options.numbers.first());
    let user: ThreeCxUserSummary | undefined;
    for (let attempt = 1; !user; attempt++) {
      try {
        user = await createOrFind(action.fields, number, contactImage);
      } catch (error) {
        if (!isNumberInUse(error) || attempt >= MAX_NUMBER_ATTEMPTS) throw error;
        const next = await options.numbers.nextAfter(number);
        ports.logger.event("userSyncNumberTaken", { googleUserId: action.googleId, number, next, attempt });
        number = next;
      }
    }
    await options.links.save({
      googleId: action.googleId,
      threecxId: user.Id,
      number: user.Number,
      origin: "created",
      disabledByGw3cx: false,
      photoEtag: contactImage ? action.photoEtag : undefined,
    });
    return true;
  };

  /**
   * Creates the user; if the create fails in a way that may have applied it anyway (a lost
   * response, or a retry refused as a duplicate), finds it instead of creating twice.
   */
  const createOrFind = async (
    fields: PbxUserWrites,
    number: string,
    contactImage?: string,
  ): Promise<ThreeCxUserSummary> => {
    try {
      return await ports.threecx.createUser({
        Number: number,
        ...fields,
        ...(contactImage ? { ContactImage: contactImage } : {}),
      });
    } catch (error) {
      const existing = await findCreatedUser(ports.threecx, number, fields.EmailAddress);
      if (existing) return existing;
      throw error;
    }
  };

  /** False when another run or worker adopted the user first. */
  const adopt = async (action: PlannedAdoption): Promise<boolean> => {
    if (await options.links.get(action.googleId)) return false;
    const contactImage = options.syncPhoto && action.photoEtag ? await photoOf(action.googleId) : undefined;
    await options.links.save({
      googleId: action.googleId,
      threecxId: action.threecxId,
      number: action.number,
      origin: "adopted",
      disabledByGw3cx: false,
      photoEtag: contactImage ? action.photoEtag : undefined,
    });
    const changes: ThreeCxUserChanges = {
      ...action.changes,
      ...(contactImage ? { ContactImage: contactImage } : {}),
    };
    if (Object.keys(changes).length > 0) await ports.threecx.updateUser(action.threecxId, changes);
    return true;
  };

  const patchUser = async (job: Extract<UserJob, { kind: "patch" }>): Promise<void> => {
    const target = job.update ?? job.enable;
    if (!target) return;
    const photoEtag = options.syncPhoto ? job.update?.photoEtag : undefined;
    const contactImage = photoEtag ? await photoOf(job.googleId) : undefined;
    const changes: ThreeCxUserChanges = {
      ...job.update?.changes,
      ...(job.enable ? { Enabled: true } : {}),
      ...(contactImage ? { ContactImage: contactImage } : {}),
    };
    if (Object.keys(changes).length > 0) await ports.threecx.updateUser(target.threecxId, changes);
    if (job.enable || contactImage) {
      const link = await options.links.get(job.googleId);
      if (link)
        await options.links.save({
          ...link,
          ...(job.enable ? { disabledByGw3cx: false } : {}),
          ...(contactImage ? { photoEtag } : {}),
        });
    }
  };

  const disable = async (action: PlannedDisable): Promise<void> => {
    await ports.threecx.setUserEnabled(action.threecxId, false);
    const link: UserLink | undefined = await options.links.get(action.googleId);
    if (link) await options.links.save({ ...link, disabledByGw3cx: true });
  };

  /** Runs the jobs, a bounded number at a time; returns those another worker held. */
  const settleAll = async (jobs: readonly UserJob[]): Promise<UserJob[]> => {
    const held = await Promise.all(
      jobs.map((job) =>
        limit(async () => {
          if ((await run(job)) === "busy") return job;
          options.onUserSettled?.();
          return undefined;
        }),
      ),
    );
    return held.filter((job): job is UserJob => job !== undefined);
  };
  let busy = await settleAll(jobsOf(plan));
  // Users another worker held are tried again once the rest is done, until their lease is free
  // (the holder finished, or died and its lease lapsed) or the wait is over.
  const deadline = ports.clock.now().getTime() + (options.leaseWaitMs ?? 0);
  let pause: number = LEASE_POLL_MS.first;
  while (busy.length > 0 && ports.clock.now().getTime() < deadline) {
    await ports.clock.sleep(Math.min(pause, deadline - ports.clock.now().getTime()));
    pause = Math.min(pause * 2, LEASE_POLL_MS.max);
    busy = await settleAll(busy);
  }
  for (const job of busy) {
    outcome.busy.push({ googleId: job.googleId, action: job.kind });
    options.onUserSettled?.();
  }
  return outcome;
}
