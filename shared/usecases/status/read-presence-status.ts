import { toIso } from "../../domain/presence/instant.js";
import type { StateStore } from "../../ports/state-store.js";
import { ChannelStore } from "../channels/channel-store.js";
import { PresenceStore } from "../presence/presence-store.js";

/** A profile gw3cx holds for a user right now, because of their calendar. */
export interface ActiveOverride {
  user: string;
  googleUserId: string;
  profile: string;
  /** When gw3cx first saw the block apply (ISO). */
  since: string;
  /** When the busy time ends, as it stands now (ISO); gw3cx restores the user's profile then. */
  until: string;
  kind: "dnd" | "away";
}

export interface PresenceStatus {
  overrides: ActiveOverride[];
  calendarChannels: number;
}

export async function readPresenceStatus(state: StateStore): Promise<PresenceStatus> {
  const [holding, channels] = await Promise.all([
    new PresenceStore(state).holding(),
    new ChannelStore(state).ofKind("calendar"),
  ]);
  const overrides: ActiveOverride[] = [];
  for (const p of holding) {
    if (p.override?.phase !== "holding") continue;
    overrides.push({
      user: p.email,
      googleUserId: p.googleUserId,
      profile: p.override.heldProfile,
      since: toIso(p.override.since),
      until: toIso(p.override.span.end),
      kind: p.override.kind,
    });
  }
  overrides.sort((a, b) => a.until.localeCompare(b.until) || a.user.localeCompare(b.user));
  return { overrides, calendarChannels: channels.length };
}
