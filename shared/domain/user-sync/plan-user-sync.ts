import { ExtensionAllocator } from "./extension-allocator.js";
import { findTooLongFields } from "./pbx-field-limits.js";
import { normalizePhoneNumber } from "./phone-number.js";
import { isInSyncScope } from "./sync-scope.js";
import type { PlannedDisable, UserSyncPlan } from "./user-sync-plan.js";
import type {
  PbxUser,
  PbxUserFields,
  PbxUserWrites,
  SyncScope,
  UserLink,
  WorkspaceUser,
} from "./user-sync-types.js";

export interface UserSyncSettings {
  scope: SyncScope;
  /** Where new users' numbers start; without it, at the PBX's first available number (PbxSide). */
  startingExtension?: string;
  syncPhoto: boolean;
  /** Google sign-in for every synced user (GoogleSignInEnabled); off leaves the flag as it is. */
  sso?: boolean;
  /** Region for numbers typed without a country code (ISO 3166 alpha-2, e.g. "DE"). */
  defaultPhoneRegion?: string;
}

export interface UserSyncInput {
  /** The Workspace users this run looked at: everyone (full run) or the ones notified (real time). */
  googleUsers: readonly WorkspaceUser[];
  /** Every 3CX user. */
  pbxUsers: readonly PbxUser[];
  links: readonly UserLink[];
  /** Every extension number in use by any DN: users, queues, ring groups, IVRs, ... */
  takenNumbers: Iterable<string>;
  /**
   * The PBX's GetFirstAvailableExtensionNumber, read once per run: where numbers start when no
   * startingExtension is set. Without either, creates are planned with no number (a real-time
   * look before anything was read for a create).
   */
  firstAvailableNumber?: string;
  /**
   * True only when googleUsers is the complete, successfully read Directory listing: then a linked
   * user missing from it was deleted in Google. Never true for a failed or empty listing.
   */
  completeListing: boolean;
}

const lower = (s: string) => s.trim().toLowerCase();

function desiredFields(user: WorkspaceUser, region: string | undefined): PbxUserFields {
  return {
    FirstName: user.givenName,
    LastName: user.familyName,
    EmailAddress: user.email,
    Mobile: normalizePhoneNumber(user.workPhone, region),
  };
}

/** Only the fields that differ; phone numbers compare by number, not by formatting. */
function changedFields(
  user: WorkspaceUser,
  current: PbxUser,
  region: string | undefined,
): Partial<PbxUserFields> {
  const changes: Partial<PbxUserFields> = {};
  if (user.givenName !== current.FirstName) changes.FirstName = user.givenName;
  if (user.familyName !== current.LastName) changes.LastName = user.familyName;
  if (lower(user.email) !== lower(current.EmailAddress)) changes.EmailAddress = user.email;
  // Equal text is the same number without parsing (the common case); otherwise compare as numbers.
  const workPhone = (user.workPhone ?? "").trim();
  if (workPhone !== current.Mobile.trim()) {
    const desired = normalizePhoneNumber(workPhone, region);
    if (desired !== current.Mobile && desired !== normalizePhoneNumber(current.Mobile, region))
      changes.Mobile = desired;
  }
  return changes;
}

function inactiveReason(user: WorkspaceUser): PlannedDisable["reason"] | undefined {
  if (user.deleted) return "DELETED";
  if (user.archived) return "ARCHIVED";
  if (user.suspended) return "SUSPENDED";
  return undefined;
}

/** What the planner needs from the 3CX side and the state, read before any Google user is planned. */
export type PbxSide = Pick<UserSyncInput, "pbxUsers" | "links" | "takenNumbers" | "firstAvailableNumber">;

/**
 * Decides what one sync run does, one Google user at a time, so a full run can plan each
 * Directory page as it arrives: Google is the truth for the users gw3cx manages (created or
 * adopted), 3CX users it does not manage are never touched, and nobody is ever deleted. Pure: the
 * same users in the same order always give the same plan.
 */
export class UserSyncPlanner {
  private readonly plan: UserSyncPlan = {
    creates: [],
    adoptions: [],
    updates: [],
    disables: [],
    enables: [],
    skips: [],
    problems: [],
    managedCount: 0,
  };
  private readonly region: string | undefined;
  private readonly pbxById: Map<number, PbxUser>;
  private readonly linkByGoogleId: Map<string, UserLink>;
  private readonly unlinkedPbxByEmail = new Map<string, PbxUser>();
  /** Emails two or more unlinked 3CX users share (a PBX may allow it): never adopted at random. */
  private readonly sharedPbxEmails = new Map<string, number[]>();
  private readonly linkedPbxEmails = new Set<string>();
  /** Undefined when neither startingExtension nor the PBX's first available number is known. */
  private readonly allocator: ExtensionAllocator | undefined;
  private readonly planned = new Set<string>();

  constructor(
    private readonly pbxSide: PbxSide,
    private readonly settings: UserSyncSettings,
  ) {
    this.region = settings.defaultPhoneRegion;
    this.pbxById = new Map(pbxSide.pbxUsers.map((u) => [u.id, u]));
    this.linkByGoogleId = new Map(pbxSide.links.map((l) => [l.googleId, l]));
    const linkedPbxIds = new Set(pbxSide.links.map((l) => l.threecxId));
    for (const user of pbxSide.pbxUsers) {
      if (!user.EmailAddress) continue;
      const email = lower(user.EmailAddress);
      if (linkedPbxIds.has(user.id)) this.linkedPbxEmails.add(email);
      else {
        const first = this.unlinkedPbxByEmail.get(email);
        if (first)
          this.sharedPbxEmails.set(email, [...(this.sharedPbxEmails.get(email) ?? [first.id]), user.id]);
        else this.unlinkedPbxByEmail.set(email, user);
      }
    }
    this.plan.managedCount = pbxSide.links.filter((l) => this.pbxById.has(l.threecxId)).length;
    const start = settings.startingExtension ?? pbxSide.firstAvailableNumber;
    this.allocator = start === undefined ? undefined : new ExtensionAllocator(start, pbxSide.takenNumbers);
  }

  /**
   * The numbers of this run, for a create the PBX refuses because its number was taken since it
   * was read: the next free number that no other create of the run was given.
   */
  get numbers(): ExtensionAllocator | undefined {
    return this.allocator;
  }

  /** Plans one Google user. */
  add(user: WorkspaceUser): void {
    const { plan, region } = this;
    this.planned.add(user.googleId);
    const link = this.linkByGoogleId.get(user.googleId);
    const inactive = inactiveReason(user);
    const inScope = isInSyncScope(user, this.settings.scope);

    if (link) {
      const pbx = this.pbxById.get(link.threecxId);
      if (!pbx) {
        plan.skips.push({
          googleId: user.googleId,
          threecxId: link.threecxId,
          email: user.email,
          reason: "LINKED_USER_MISSING",
        });
        return;
      }
      const target = { googleId: user.googleId, email: user.email, threecxId: pbx.id, number: pbx.number };
      const disableReason = inactive ?? (inScope ? undefined : "LEFT_SCOPE");
      if (disableReason) {
        if (pbx.enabled) plan.disables.push({ ...target, reason: disableReason });
        else plan.skips.push({ ...target, reason: "ALREADY_DISABLED" });
        return;
      }
      if (!pbx.enabled) {
        if (link.disabledByGw3cx) plan.enables.push({ ...target, reason: "REACTIVATED" });
        else {
          plan.skips.push({ ...target, reason: "DISABLED_BY_ADMIN" });
          return;
        }
      }
      const fieldChanges = this.withoutTooLong(user, changedFields(user, pbx, region));
      const changes = { ...fieldChanges, ...this.signInChange(pbx) };
      const photoEtag = this.photoChange(user, link);
      if (Object.keys(changes).length > 0 || photoEtag) {
        plan.updates.push({
          ...target,
          changes,
          photoEtag,
          reason:
            Object.keys(fieldChanges).length > 0
              ? "FIELDS_CHANGED"
              : photoEtag
                ? "PHOTO_CHANGED"
                : "SIGN_IN_ENABLED",
        });
      }
      return;
    }

    if (inactive) {
      plan.skips.push({ googleId: user.googleId, email: user.email, reason: "NOT_ACTIVE" });
      return;
    }
    if (!inScope) {
      plan.skips.push({ googleId: user.googleId, email: user.email, reason: "OUT_OF_SCOPE" });
      return;
    }
    const sharedBy = this.sharedPbxEmails.get(lower(user.email));
    if (sharedBy) {
      plan.skips.push({
        googleId: user.googleId,
        email: user.email,
        threecxIds: sharedBy,
        reason: "EMAIL_SHARED_BY_PBX_USERS",
      });
      return;
    }
    const existing = this.unlinkedPbxByEmail.get(lower(user.email));
    if (existing) {
      this.unlinkedPbxByEmail.delete(lower(user.email));
      plan.adoptions.push({
        googleId: user.googleId,
        email: user.email,
        threecxId: existing.id,
        number: existing.number,
        changes: {
          ...this.withoutTooLong(user, changedFields(user, existing, region)),
          ...this.signInChange(existing),
        },
        photoEtag: this.photoChange(user, undefined),
        reason: "ADOPTED_BY_EMAIL",
      });
      return;
    }
    if (this.linkedPbxEmails.has(lower(user.email))) {
      plan.skips.push({ googleId: user.googleId, email: user.email, reason: "EMAIL_TAKEN_BY_LINKED_USER" });
      return;
    }
    // A value 3CX would refuse is left out (and reported), never cut short: the person still gets
    // an extension, and a cut-down name never passes for a real one.
    const fields = { ...this.withoutTooLong(user, desiredFields(user, region)), ...this.signInChange() };
    plan.creates.push({
      googleId: user.googleId,
      email: user.email,
      number: this.allocator?.allocate(),
      fields,
      photoEtag: this.settings.syncPhoto ? user.photoEtag : undefined,
      reason: "NEW_ACTIVE_USER",
    });
  }

  /**
   * The plan. `completeListing`: the users added were the complete, successfully read Directory
   * listing, so a linked user who was not among them was deleted in Google. An empty listing
   * never counts as complete.
   */
  finish(completeListing: boolean): UserSyncPlan {
    const { plan } = this;
    if (!completeListing || this.planned.size === 0) return plan;
    for (const link of this.pbxSide.links) {
      if (this.planned.has(link.googleId)) continue;
      const pbx = this.pbxById.get(link.threecxId);
      if (!pbx) continue;
      const target = {
        googleId: link.googleId,
        email: pbx.EmailAddress,
        threecxId: pbx.id,
        number: pbx.number,
      };
      if (pbx.enabled) plan.disables.push({ ...target, reason: "DELETED" });
      else plan.skips.push({ ...target, reason: "ALREADY_DISABLED" });
    }
    return plan;
  }

  /** Drops (and reports) values 3CX would refuse, so the rest of the change still goes ahead. */
  private withoutTooLong(user: WorkspaceUser, fields: Partial<PbxUserFields>): Partial<PbxUserFields> {
    const kept = { ...fields };
    for (const problem of findTooLongFields(fields)) {
      this.plan.problems.push({
        ...problem,
        googleId: user.googleId,
        email: user.email,
        reason: "VALUE_TOO_LONG",
      });
      delete kept[problem.field];
    }
    return kept;
  }

  /** With sso on, sign-in is switched on for a synced user that does not have it (never off). */
  private signInChange(pbx?: PbxUser): Pick<PbxUserWrites, "GoogleSignInEnabled"> {
    return this.settings.sso && pbx?.googleSignInEnabled !== true ? { GoogleSignInEnabled: true } : {};
  }

  private photoChange(user: WorkspaceUser, link: UserLink | undefined): string | undefined {
    return this.settings.syncPhoto && user.photoEtag && user.photoEtag !== link?.photoEtag
      ? user.photoEtag
      : undefined;
  }
}

/** The whole plan for the given users at once (see UserSyncPlanner). */
export function planUserSync(input: UserSyncInput, settings: UserSyncSettings): UserSyncPlan {
  const planner = new UserSyncPlanner(input, settings);
  for (const user of input.googleUsers) planner.add(user);
  return planner.finish(input.completeListing);
}
