import type { CalendarEventCopy } from "./calendar-event-copy.js";
import { type BusyInterval, busyIntervals } from "./classify-event.js";
import type { Instant } from "./instant.js";
import type { PresenceRules } from "./profiles.js";

/** How far back a stored timeline reaches, and the window a full calendar read covers. */
export const TIMELINE_PAST_MS = 24 * 60 * 60 * 1000;
export const TIMELINE_AHEAD_MS = 14 * 24 * 60 * 60 * 1000;

/** The window a full read of a calendar asks for at `now`: one day back, fourteen ahead. */
export function fullReadWindow(now: Instant): { from: Instant; until: Instant } {
  return { from: now - TIMELINE_PAST_MS, until: now + TIMELINE_AHEAD_MS };
}

export interface CalendarRead {
  /** true: `events` is the whole calendar (first read, 410, nightly resync) and replaces what was stored. */
  full: boolean;
  /** The whole events on a full read; on an incremental one, the changed events (cancelled included). */
  events: readonly CalendarEventCopy[];
  calendarTimeZone: string;
}

/**
 * The compact timeline kept per user: the counted busy intervals, by event id. A full read replaces
 * them; an incremental read replaces the intervals of each changed event (a moved, declined or
 * cancelled event loses its old interval). Intervals over before `now` minus a day are dropped.
 */
export function updateBusyIntervals(
  stored: readonly BusyInterval[],
  read: CalendarRead,
  rules: PresenceRules,
  now: Instant,
): BusyInterval[] {
  const fresh = busyIntervals(read.events, rules, read.calendarTimeZone);
  const changed = new Set(read.events.map((e) => e.id ?? ""));
  const kept = read.full ? [] : stored.filter((i) => !changed.has(i.eventId));
  const keepFrom = now - TIMELINE_PAST_MS;
  return [...kept, ...fresh]
    .filter((i) => i.end > keepFrom)
    .sort((a, b) => a.start - b.start || a.end - b.end);
}
