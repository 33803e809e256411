import type { Instant } from "./instant.js";
import type { HeldMessage, HoldingOverride, PresenceOverride } from "./presence-override.js";
import type { PresenceAt } from "./presence-timeline.js";
import {
  applyPresenceWrites,
  messageOf,
  type PbxPresence,
  type PresenceWrite,
  writesBetween,
} from "./presence-writes.js";
import { isPresenceProfile, isUserReservedProfile, type PresenceProfile } from "./profiles.js";
import { isGw3cxStatusMessage, statusMessageText } from "./status-message.js";

export interface PresenceDecisionInput {
  now: Instant;
  /** The timeline at `now` (PresenceTimeline.profileAt(now)). */
  target: PresenceAt | null;
  /** What 3CX shows now, read just before deciding. */
  pbx: PbxPresence;
  /** The stored override of this user, or null. */
  state: PresenceOverride | null;
  /** settings.presence.statusMessage and the tenant's time zone (settings.timeZone). */
  settings: { statusMessage: boolean; timeZone: string };
}

/** Why the decision came out as it did, step by step, for logs and tests. */
export type PresenceStep =
  | "no-block"
  | "entered"
  | "reserved-profile"
  | "holding"
  | "followed-block"
  | "user-changed-profile"
  | "user-owns-block"
  | "left-restored"
  | "left-user-profile-kept";

export interface PresenceDecision {
  /** XAPI writes to make, in order; empty when 3CX already shows the decision. */
  writes: PresenceWrite[];
  /** The state to store once every write succeeded (keep the old one if any fails, and retry). */
  state: PresenceOverride | null;
  steps: PresenceStep[];
}

/** One decision in progress: 3CX as the decision leaves it, and why. */
class Plan {
  readonly steps: PresenceStep[] = [];
  constructor(public pbx: PbxPresence) {}

  setMessage(profile: PresenceProfile, message: string | null): void {
    this.pbx = applyPresenceWrites(this.pbx, [{ type: "setMessage", profile, message }]);
  }

  setProfile(profile: PresenceProfile): void {
    this.pbx = applyPresenceWrites(this.pbx, [{ type: "setProfile", profile }]);
  }
}

const overlaps = (a: { start: Instant; end: Instant }, b: { start: Instant; end: Instant }) =>
  a.start < b.end && b.start < a.end;

function wantedMessage(input: PresenceDecisionInput, target: PresenceAt): string | null {
  if (!input.settings.statusMessage) return null;
  const { block } = target;
  return statusMessageText(block.label, block.start, block.until, input.settings.timeZone);
}

/** Take over `profile`'s message: remember the user's, write gw3cx's. */
function holdMessage(plan: Plan, profile: PresenceProfile, text: string): HeldMessage {
  const current = messageOf(plan.pbx, profile);
  plan.setMessage(profile, text);
  return { saved: isGw3cxStatusMessage(current) ? null : current, written: text };
}

/** Give the user's message back, unless they changed gw3cx's since (compare-and-set). */
function releaseMessage(plan: Plan, profile: PresenceProfile, held: HeldMessage | null): void {
  if (held && messageOf(plan.pbx, profile) === held.written) plan.setMessage(profile, held.saved);
}

function leave(plan: Plan, state: PresenceOverride): void {
  if (state.phase === "yielded") return;
  releaseMessage(plan, state.heldProfile, state.message);
  if (plan.pbx.profile !== state.heldProfile) {
    plan.steps.push("left-user-profile-kept");
    return;
  }
  // What the user had; a profile 3CX reported that cannot be written back becomes Available.
  const saved = state.savedProfile;
  plan.setProfile(isPresenceProfile(saved) && !isUserReservedProfile(saved) ? saved : "Available");
  plan.steps.push("left-restored");
}

function enter(plan: Plan, input: PresenceDecisionInput, target: PresenceAt): PresenceOverride {
  const common = { since: input.now, span: target.block.span, kind: target.kind };
  if (isUserReservedProfile(plan.pbx.profile)) {
    plan.steps.push("reserved-profile");
    return { ...common, phase: "yielded", reason: "reserved-profile" };
  }
  // 3CX already in the target with gw3cx's own text on it: a decision whose state was lost after
  // its writes. What the user had before is unknown then, and DND must not be "restored" at the end.
  const leftover =
    plan.pbx.profile === target.profile && isGw3cxStatusMessage(messageOf(plan.pbx, target.profile));
  const savedProfile = leftover ? null : plan.pbx.profile;
  const text = wantedMessage(input, target);
  // The message first: the profile then appears with it already in place.
  const message = text === null ? null : holdMessage(plan, target.profile, text);
  plan.setProfile(target.profile);
  plan.steps.push("entered");
  return {
    ...common,
    phase: "holding",
    heldProfile: target.profile,
    savedProfile,
    message,
    messageYielded: false,
  };
}

/** 3CX still shows gw3cx's profile: follow the block as it is now (profile, message). */
function follow(
  plan: Plan,
  input: PresenceDecisionInput,
  state: HoldingOverride,
  target: PresenceAt,
): HoldingOverride {
  const text = wantedMessage(input, target);
  let { message, messageYielded } = state;
  if (target.profile !== state.heldProfile) {
    releaseMessage(plan, state.heldProfile, message);
    message = text === null || messageYielded ? null : holdMessage(plan, target.profile, text);
    plan.setProfile(target.profile);
    plan.steps.push("followed-block");
  } else if (!messageYielded) {
    if (message && messageOf(plan.pbx, target.profile) !== message.written) {
      // The user edited gw3cx's message: theirs from now on, for this block.
      message = null;
      messageYielded = true;
    } else if (message && text === null) {
      releaseMessage(plan, target.profile, message);
      message = null;
    } else if (text !== null && message?.written !== text) {
      message = message ? { ...message, written: text } : holdMessage(plan, target.profile, text);
      plan.setMessage(target.profile, text);
    }
    plan.steps.push(writesBetween(input.pbx, plan.pbx).length > 0 ? "followed-block" : "holding");
  } else {
    plan.steps.push("holding");
  }
  return {
    ...state,
    span: target.block.span,
    kind: target.kind,
    heldProfile: target.profile,
    message,
    messageYielded,
  };
}

/**
 * The override protocol as a pure step: given the block at `now`, what 3CX shows and the stored
 * state, which writes make 3CX right and what to store next.
 *
 * - Entering a block remembers the profile 3CX shows and sets the block's; leaving restores it only
 *   if 3CX still shows what gw3cx set (compare-and-set), and the same for the status message.
 * - A profile chosen by hand during a block wins until that block is over; so does Lunch or
 *   Business Trip shown when it begins.
 * - A block that moved, grew, shrank or went away is followed at once.
 * - Idempotent: deciding again on 3CX as the writes left it, with the returned state, writes nothing.
 *
 * Store the returned state only after every write succeeded; on a failure keep the old state and
 * decide again on a fresh read of 3CX: the steps converge.
 */
export function decidePresence(input: PresenceDecisionInput): PresenceDecision {
  const plan = new Plan(input.pbx);
  const { target } = input;
  let state = input.state;

  if (state && (!target || !overlaps(state.span, target.block.span))) {
    leave(plan, state);
    state = null;
  }
  if (!target) {
    if (plan.steps.length === 0) plan.steps.push("no-block");
    return { writes: writesBetween(input.pbx, plan.pbx), state: null, steps: plan.steps };
  }
  if (!state) {
    state = enter(plan, input, target);
  } else if (state.phase === "yielded") {
    plan.steps.push("user-owns-block");
    state = { ...state, span: target.block.span, kind: target.kind };
  } else if (plan.pbx.profile !== state.heldProfile) {
    // Chosen by hand (Lunch and Business Trip included): the user's until the block is over.
    releaseMessage(plan, state.heldProfile, state.message);
    plan.steps.push("user-changed-profile");
    state = {
      phase: "yielded",
      reason: "manual-change",
      since: state.since,
      span: target.block.span,
      kind: target.kind,
    };
  } else {
    state = follow(plan, input, state, target);
  }
  return { writes: writesBetween(input.pbx, plan.pbx), state, steps: plan.steps };
}
