import pLimit from "p-limit";
import type {
  PlannedAdoption,
  PlannedCreate,
  PlannedDisable,
  PlannedEnable,
  PlannedUpdate,
  UserSyncPlan,
} from "../../domain/user-sync/user-sync-plan.js";
import type { PbxUserFields, UserLink } from "../../domain/user-sync/user-sync-types.js";
import { isGw3cxError } from "../../errors.js";
import type { ThreeCxUserChanges, ThreeCxUserSummary } from "../../ports/threecx.js";
import { findCreatedUser } from "./find-created-user.js";
import type { SyncRunCounts, SyncRunError } from "./sync-run-store.js";
import type { UserLinkStore } from "./user-link-store.js";
import type { UserSyncPorts } from "./user-sync-ports.js";

/** Runs `work` while holding the user's lease; returns false (and does nothing) if another worker holds it. */
export type UserLease = (googleId: string, work: () => Promise<void>) => Promise<boolean>;

export interface ApplyOptions {
  links: UserLinkStore;
  lease: UserLease;
  concurrency: number;
  syncPhoto: boolean;
}

export interface ApplyOutcome {
  applied: SyncRunCounts;
  errors: SyncRunError[];
  /** Users another worker held: nothing was written for them. */
  busy: string[];
}

/** Everything that happens to one 3CX user in a run, so an enable and an update are one PATCH. */
type UserJob =
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

  const run = async (job: UserJob): Promise<void> => {
    try {
      const ran = await options.lease(job.googleId, async () => {
        switch (job.kind) {
          case "create":
            await create(job.action);
            outcome.applied.creates += 1;
            return;
          case "adopt":
            await adopt(job.action);
            outcome.applied.adoptions += 1;
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
      if (!ran) outcome.busy.push(job.googleId);
    } catch (error) {
      outcome.errors.push({
        googleId: job.googleId,
        action: job.kind,
        code: isGw3cxError(error) ? error.code : "UNEXPECTED",
        message: error instanceof Error ? error.message : String(error),
      });
      ports.logger.event("userSyncActionFailed", { googleUserId: job.googleId, action: job.kind, error });
    }
  };

  const create = async (action: PlannedCreate): Promise<void> => {
    // A retried message may find the user already linked by the first delivery: nothing to do.
    if (await options.links.get(action.googleId)) return;
    const contactImage = options.syncPhoto && action.photoEtag ? await photoOf(action.googleId) : undefined;
    const number = action.number ?? (await ports.threecx.getFirstAvailableExtensionNumber());
    const user = await createOrFind(action.fields, number, contactImage);
    await options.links.save({
      googleId: action.googleId,
      threecxId: user.Id,
      number: user.Number,
      origin: "created",
      disabledByGw3cx: false,
      photoEtag: contactImage ? action.photoEtag : undefined,
    });
  };

  /**
   * Creates the user; if the create fails in a way that may have applied it anyway (a lost
   * response, or a retry refused as a duplicate), finds it instead of creating twice.
   */
  const createOrFind = async (
    fields: PbxUserFields,
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

  const adopt = async (action: PlannedAdoption): Promise<void> => {
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

  await Promise.all(jobsOf(plan).map((job) => limit(() => run(job))));
  return outcome;
}
