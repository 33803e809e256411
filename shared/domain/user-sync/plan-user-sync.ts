import { ExtensionAllocator } from "./extension-allocator.js";
import { findTooLongFields } from "./pbx-field-limits.js";
import { normalizePhoneNumber } from "./phone-number.js";
import { isInSyncScope } from "./sync-scope.js";
import type { PlannedDisable, UserSyncPlan } from "./user-sync-plan.js";
import type { PbxUser, PbxUserFields, SyncScope, UserLink, WorkspaceUser } from "./user-sync-types.js";

export interface UserSyncSettings {
  scope: SyncScope;
  startingExtension?: string;
  syncPhoto: boolean;
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

/**
 * Decides what one sync run does, without doing it: Google is the truth for the users gw3cx
 * manages (created or adopted), 3CX users it does not manage are never touched, and nobody is
 * ever deleted. Pure: the same input always gives the same plan.
 */
export function planUserSync(input: UserSyncInput, settings: UserSyncSettings): UserSyncPlan {
  const region = settings.defaultPhoneRegion;
  const plan: UserSyncPlan = {
    creates: [],
    adoptions: [],
    updates: [],
    disables: [],
    enables: [],
    skips: [],
    problems: [],
    managedCount: 0,
  };
  const pbxById = new Map(input.pbxUsers.map((u) => [u.id, u]));
  const linkByGoogleId = new Map(input.links.map((l) => [l.googleId, l]));
  const linkedPbxIds = new Set(input.links.map((l) => l.threecxId));
  const unlinkedPbxByEmail = new Map<string, PbxUser>();
  for (const user of input.pbxUsers) {
    if (!linkedPbxIds.has(user.id) && user.EmailAddress)
      unlinkedPbxByEmail.set(lower(user.EmailAddress), user);
  }
  const linkedPbxEmails = new Set(
    input.pbxUsers.filter((u) => linkedPbxIds.has(u.id) && u.EmailAddress).map((u) => lower(u.EmailAddress)),
  );
  plan.managedCount = input.links.filter((l) => pbxById.has(l.threecxId)).length;
  const allocator = new ExtensionAllocator(settings.startingExtension, input.takenNumbers);

  /** Drops (and reports) values 3CX would refuse, so the rest of the change still goes ahead. */
  const withoutTooLong = (user: WorkspaceUser, fields: Partial<PbxUserFields>): Partial<PbxUserFields> => {
    const tooLong = findTooLongFields(fields);
    const kept = { ...fields };
    for (const problem of tooLong) {
      plan.problems.push({
        ...problem,
        googleId: user.googleId,
        email: user.email,
        reason: "VALUE_TOO_LONG",
      });
      delete kept[problem.field];
    }
    return kept;
  };

  const photoChange = (user: WorkspaceUser, link: UserLink | undefined): string | undefined =>
    settings.syncPhoto && user.photoEtag && user.photoEtag !== link?.photoEtag ? user.photoEtag : undefined;

  for (const user of input.googleUsers) {
    const link = linkByGoogleId.get(user.googleId);
    const inactive = inactiveReason(user);
    const inScope = isInSyncScope(user, settings.scope);

    if (link) {
      const pbx = pbxById.get(link.threecxId);
      if (!pbx) {
        plan.skips.push({
          googleId: user.googleId,
          threecxId: link.threecxId,
          email: user.email,
          reason: "LINKED_USER_MISSING",
        });
        continue;
      }
      const target = { googleId: user.googleId, email: user.email, threecxId: pbx.id, number: pbx.number };
      const disableReason = inactive ?? (inScope ? undefined : "LEFT_SCOPE");
      if (disableReason) {
        if (pbx.enabled) plan.disables.push({ ...target, reason: disableReason });
        else plan.skips.push({ ...target, reason: "ALREADY_DISABLED" });
        continue;
      }
      if (!pbx.enabled) {
        if (link.disabledByGw3cx) plan.enables.push({ ...target, reason: "REACTIVATED" });
        else {
          plan.skips.push({ ...target, reason: "DISABLED_BY_ADMIN" });
          continue;
        }
      }
      const changes = withoutTooLong(user, changedFields(user, pbx, region));
      const photoEtag = photoChange(user, link);
      if (Object.keys(changes).length > 0 || photoEtag) {
        plan.updates.push({
          ...target,
          changes,
          photoEtag,
          reason: Object.keys(changes).length > 0 ? "FIELDS_CHANGED" : "PHOTO_CHANGED",
        });
      }
      continue;
    }

    if (inactive) {
      plan.skips.push({ googleId: user.googleId, email: user.email, reason: "NOT_ACTIVE" });
      continue;
    }
    if (!inScope) {
      plan.skips.push({ googleId: user.googleId, email: user.email, reason: "OUT_OF_SCOPE" });
      continue;
    }
    const existing = unlinkedPbxByEmail.get(lower(user.email));
    if (existing) {
      unlinkedPbxByEmail.delete(lower(user.email));
      plan.adoptions.push({
        googleId: user.googleId,
        email: user.email,
        threecxId: existing.id,
        number: existing.number,
        changes: withoutTooLong(user, changedFields(user, existing, region)),
        photoEtag: photoChange(user, undefined),
        reason: "ADOPTED_BY_EMAIL",
      });
      continue;
    }
    if (linkedPbxEmails.has(lower(user.email))) {
      plan.skips.push({ googleId: user.googleId, email: user.email, reason: "EMAIL_TAKEN_BY_LINKED_USER" });
      continue;
    }
    const desired = desiredFields(user, region);
    const tooLong = findTooLongFields(desired);
    if (tooLong.length > 0) {
      // A new user is created whole or not at all: a cut-down name would look like a real one.
      for (const problem of tooLong)
        plan.problems.push({
          ...problem,
          googleId: user.googleId,
          email: user.email,
          reason: "VALUE_TOO_LONG",
        });
      plan.skips.push({ googleId: user.googleId, email: user.email, reason: "VALUE_TOO_LONG" });
      continue;
    }
    plan.creates.push({
      googleId: user.googleId,
      email: user.email,
      number: allocator.allocate(),
      fields: desired,
      photoEtag: settings.syncPhoto ? user.photoEtag : undefined,
      reason: "NEW_ACTIVE_USER",
    });
  }

  if (input.completeListing && input.googleUsers.length > 0) {
    const listed = new Set(input.googleUsers.map((u) => u.googleId));
    for (const link of input.links) {
      if (listed.has(link.googleId)) continue;
      const pbx = pbxById.get(link.threecxId);
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
  }
  return plan;
}
