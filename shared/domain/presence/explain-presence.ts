import type { CalendarEventCopy } from "./calendar-event-copy.js";
import { isPrivateEvent } from "./calendar-event-copy.js";
import type { ClassificationRule } from "./classification-rules.js";
import { classifyEvent } from "./classify-event.js";
import { type Instant, toIso } from "./instant.js";
import { PresenceTimeline } from "./presence-timeline.js";
import {
  type BlockKind,
  isUserReservedProfile,
  type PresenceProfile,
  type PresenceRules,
} from "./profiles.js";

export interface ExplainedEvent {
  id: string | null;
  /** The title, or "private event" for private and confidential events. */
  title: string;
  start: string | null;
  end: string | null;
  counted: boolean;
  rule: ClassificationRule;
  profile?: PresenceProfile;
}

/** The answer to "why did my phone go DND?" at one instant (issue 17's explain JSON). */
export interface PresenceExplanation {
  at: string;
  /** The profile gw3cx puts the user in at `at`; null: it sets nothing (and restores at a block's end). */
  profile: PresenceProfile | null;
  /** The rule that decided: a classification rule, or "reserved-profile" for Lunch / Business Trip. */
  rule: ClassificationRule | "reserved-profile" | null;
  block: { start: string; end: string; kind: BlockKind } | null;
  /** The next instant at which `profile` changes, ISO UTC; none inside merged blocks. */
  nextBoundary: string | null;
  events: ExplainedEvent[];
}

export const PRIVATE_EVENT_TITLE = "private event";

/**
 * Explains what gw3cx does at `at` from a calendar's events (events.list with singleEvents=true)
 * and the profile 3CX shows (null when unknown). `calendarTimeZone` places all-day dates.
 */
export function explainPresence(
  events: readonly CalendarEventCopy[],
  at: Instant,
  currentProfile: string | null,
  rules: PresenceRules,
  calendarTimeZone: string,
): PresenceExplanation {
  const classified = events.map((event) => ({ event, c: classifyEvent(event, rules, calendarTimeZone) }));
  const timeline = PresenceTimeline.fromIntervals(
    classified.flatMap(({ c }) => (c.counted ? [c.interval] : [])),
  );
  const now = timeline.profileAt(at);
  const next = timeline.nextBoundary(at);
  const reserved = now !== null && isUserReservedProfile(currentProfile);
  return {
    at: toIso(at),
    profile: now && !reserved ? now.profile : null,
    rule: now ? (reserved ? "reserved-profile" : now.rule) : null,
    block: now ? { start: toIso(now.block.start), end: toIso(now.block.end), kind: now.block.kind } : null,
    nextBoundary: next === null ? null : toIso(next),
    events: classified.map(({ event, c }) => {
      const range = c.counted ? c.interval : c.range;
      return {
        id: event.id ?? null,
        title: isPrivateEvent(event) ? PRIVATE_EVENT_TITLE : (event.summary ?? ""),
        start: range ? toIso(range.start) : null,
        end: range ? toIso(range.end) : null,
        counted: c.counted,
        rule: c.rule,
        ...(c.counted ? { profile: c.interval.profile } : {}),
      };
    }),
  };
}
