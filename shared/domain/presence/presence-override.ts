import type { Instant, TimeRange } from "./instant.js";
import type { BlockKind, PresenceProfile } from "./profiles.js";

/** A status message gw3cx wrote on a profile, and the user's own message it replaced. */
export interface HeldMessage {
  saved: string | null;
  written: string;
}

interface OverrideCommon {
  /** When gw3cx first saw this block apply. */
  since: Instant;
  /** The merged busy time the override belongs to; a later block is one that starts after it ends. */
  span: TimeRange;
  kind: BlockKind;
}

/**
 * gw3cx set `heldProfile` and 3CX still showed it at the last decision. `savedProfile` is what the
 * user had before and gets back at the end, if 3CX still shows `heldProfile` then.
 */
export interface HoldingOverride extends OverrideCommon {
  phase: "holding";
  heldProfile: PresenceProfile;
  savedProfile: string | null;
  /** The message gw3cx wrote on heldProfile, if it wrote one. */
  message: HeldMessage | null;
  /** The user edited gw3cx's message: gw3cx writes no more messages in this block. */
  messageYielded: boolean;
}

/**
 * The user owns this block: they chose a profile by hand while gw3cx held one ("manual-change"),
 * or showed Lunch / Business Trip when it began ("reserved-profile"). Nothing is written until the
 * block is over.
 */
export interface YieldedOverride extends OverrideCommon {
  phase: "yielded";
  reason: "manual-change" | "reserved-profile";
}

/** Per-user state of the override protocol, kept in the StateStore between decisions. */
export type PresenceOverride = HoldingOverride | YieldedOverride;
