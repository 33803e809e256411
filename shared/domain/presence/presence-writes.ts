import type { PresenceProfile } from "./profiles.js";

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
