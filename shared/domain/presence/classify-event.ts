import type { AttendeeCopy, CalendarEventCopy } from "./calendar-event-copy.js";
import { isPrivateEvent } from "./calendar-event-copy.js";
import {
  type BusySource,
  CLASSIFICATION_ROWS,
  type CountingRule,
  type EventFacts,
  type IgnoringRule,
} from "./classification-rules.js";
import { eventTimeRange } from "./event-time-range.js";
import type { TimeRange } from "./instant.js";
import { type BlockKind, kindOfProfile, type PresenceProfile, type PresenceRules } from "./profiles.js";

/** What a status message calls the time: never the event's title. */
export type BusyLabel = "meeting" | "busy" | "focus-time" | "out-of-office";

/** A counted event: the user is busy over [start, end) in `profile`. */
export interface BusyInterval extends TimeRange {
  profile: PresenceProfile;
  kind: BlockKind;
  rule: CountingRule;
  label: BusyLabel;
  eventId: string;
}

export type EventClassification =
  | { counted: true; rule: CountingRule; interval: BusyInterval }
  | { counted: false; rule: IgnoringRule; range?: TimeRange };

function selfResponseOf(self: AttendeeCopy | undefined): EventFacts["selfResponse"] {
  if (!self) return "none";
  switch (self.responseStatus) {
    case "accepted":
    case "declined":
    case "tentative":
      return self.responseStatus;
    default:
      return "needsAction";
  }
}

function factsOf(event: CalendarEventCopy): EventFacts {
  const attendees = event.attendees ?? [];
  const self = attendees.find((a) => a.self === true);
  return {
    cancelled: event.status === "cancelled",
    eventType: event.eventType ?? "default",
    transparent: event.transparency === "transparent",
    selfResponse: selfResponseOf(self),
    organizedBySelf:
      event.organizer?.self === true || event.organizerIsSelf === true || self?.organizer === true,
    hasAttendees: attendees.length > 0,
  };
}

function labelOf(source: BusySource, event: CalendarEventCopy): BusyLabel {
  if (source === "outOfOfficeProfile") return "out-of-office";
  if (source === "focusTimeProfile") return "focus-time";
  return isPrivateEvent(event) ? "busy" : "meeting";
}

/**
 * Does this event (the user's own copy) make the user busy, and in which profile? The first
 * matching row of CLASSIFICATION_ROWS decides; a counted event must also have a readable,
 * non-empty time range. All-day dates are read in `calendarTimeZone`.
 */
export function classifyEvent(
  event: CalendarEventCopy,
  rules: PresenceRules,
  calendarTimeZone: string,
): EventClassification {
  const facts = factsOf(event);
  const row = CLASSIFICATION_ROWS.find((r) => r.when(facts, rules));
  const range = facts.cancelled ? undefined : eventTimeRange(event, calendarTimeZone);
  const withRange = range ? { range } : {};
  if (!row || row.counts === null) return { counted: false, rule: row?.rule ?? "needs-action", ...withRange };
  if (!range) return { counted: false, rule: "no-time" };
  if (range.end <= range.start) return { counted: false, rule: "zero-length", range };
  const profile = rules[row.counts];
  return {
    counted: true,
    rule: row.rule,
    interval: {
      start: range.start,
      end: range.end,
      profile,
      kind: kindOfProfile(profile),
      rule: row.rule,
      label: labelOf(row.counts, event),
      eventId: event.id ?? "",
    },
  };
}

/** The busy intervals among a calendar's events. */
export function busyIntervals(
  events: readonly CalendarEventCopy[],
  rules: PresenceRules,
  calendarTimeZone: string,
): BusyInterval[] {
  const intervals: BusyInterval[] = [];
  for (const event of events) {
    const c = classifyEvent(event, rules, calendarTimeZone);
    if (c.counted) intervals.push(c.interval);
  }
  return intervals;
}
