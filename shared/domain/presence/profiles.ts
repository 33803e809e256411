/**
 * The 3CX profiles presence works with, as XAPI spells them in `CurrentProfileName`.
 * "Out of office" is what the 3CX apps show as Do Not Disturb.
 */
export const PRESENCE_PROFILE_NAMES = ["Available", "Away", "Out of office", "Custom 1", "Custom 2"] as const;
export type PresenceProfile = (typeof PRESENCE_PROFILE_NAMES)[number];

/** How a block treats calls: DND ("Out of office") or anything milder, summed up as away. */
export type BlockKind = "dnd" | "away";

/**
 * Which profile wins where busy intervals overlap, strongest first: DND beats Away (DESIGN.md);
 * the others only matter when a setting maps a calendar kind onto them.
 */
const PRECEDENCE: readonly PresenceProfile[] = ["Out of office", "Away", "Custom 2", "Custom 1", "Available"];

/** Higher wins. */
export function profileRank(profile: PresenceProfile): number {
  return PRECEDENCE.length - PRECEDENCE.indexOf(profile);
}

export function kindOfProfile(profile: PresenceProfile): BlockKind {
  return profile === "Out of office" ? "dnd" : "away";
}

/** Lunch and Business Trip: the user's own statement, which calendar data never overrides. */
const USER_RESERVED: ReadonlySet<string> = new Set<PresenceProfile>(["Custom 1", "Custom 2"]);

export function isUserReservedProfile(profile: string | null): boolean {
  return profile !== null && USER_RESERVED.has(profile);
}

export function isPresenceProfile(value: string | null): value is PresenceProfile {
  return value !== null && (PRESENCE_PROFILE_NAMES as readonly string[]).includes(value);
}

/** Which profile each kind of busy event sets; the shape of settings.presence. */
export interface PresenceRules {
  eventProfile: PresenceProfile;
  focusTimeProfile: PresenceProfile;
  outOfOfficeProfile: PresenceProfile;
  /** Tentative and unanswered invitations count only when this is on. */
  includeTentative: boolean;
}

/** 3CX's own mapping (settings defaults). */
export const DEFAULT_PRESENCE_RULES: PresenceRules = {
  eventProfile: "Out of office",
  focusTimeProfile: "Out of office",
  outOfOfficeProfile: "Away",
  includeTentative: false,
};
