import { isPresenceProfile, type PresenceProfile } from "./profiles.js";

/** What 3CX shows for a user now, as the override protocol reads it. */
export interface PbxPresence {
  /** `CurrentProfileName`; null or an unknown name is kept as read. */
  profile: string | null;
  /** `CustomMessage` of the user's forwarding profiles by profile name (a missing name reads as null). */
  messages: Readonly<Record<string, string | null>>;
}

/** One XAPI write the decision asks for, in order. */
export type PresenceWrite =
  | { type: "setProfile"; profile: PresenceProfile }
  | { type: "setMessage"; profile: PresenceProfile; message: string | null };

/** 3CX as it will be once `writes` are applied: how a decision reasons step by step, and how tests replay it. */
export function applyPresenceWrites(pbx: PbxPresence, writes: readonly PresenceWrite[]): PbxPresence {
  let profile = pbx.profile;
  const messages: Record<string, string | null> = { ...pbx.messages };
  for (const write of writes) {
    if (write.type === "setProfile") profile = write.profile;
    else messages[write.profile] = write.message;
  }
  return { profile, messages };
}

export function messageOf(pbx: PbxPresence, profile: string): string | null {
  return pbx.messages[profile] ?? null;
}

/**
 * The writes that turn `before` into `after`: each changed message, then the profile, so a profile
 * appears with its message already in place. A decision that passes through a value and back (a
 * block ends and the next one starts at once) writes nothing for it.
 */
export function writesBetween(before: PbxPresence, after: PbxPresence): PresenceWrite[] {
  const writes: PresenceWrite[] = [];
  for (const [profile, message] of Object.entries(after.messages)) {
    if (isPresenceProfile(profile) && messageOf(before, profile) !== message) {
      writes.push({ type: "setMessage", profile, message });
    }
  }
  if (after.profile !== before.profile && isPresenceProfile(after.profile)) {
    writes.push({ type: "setProfile", profile: after.profile });
  }
  return writes;
}
