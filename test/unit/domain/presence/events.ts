import type { CalendarEventCopy } from "../../../../shared/domain/presence/calendar-event-copy.js";

/** Test builders: events as the attendee's copy arrives from events.list (singleEvents=true). */

export const DAY = "2026-03-24";

/** An instant on DAY (or another day), UTC. */
export function utc(hhmm: string, day = DAY): number {
  return Date.parse(`${day}T${hhmm}:00Z`);
}

export function iso(instant: number): string {
  return new Date(instant).toISOString();
}

/** An accepted meeting organised by someone else, from `start` to `end` (HH:MM, UTC, on DAY). */
export function meeting(id: string, start: string, end: string, extra: Partial<CalendarEventCopy> = {}) {
  return {
    id,
    status: "confirmed",
    eventType: "default",
    summary: `Meeting ${id}`,
    start: { dateTime: `${DAY}T${start}:00Z` },
    end: { dateTime: `${DAY}T${end}:00Z` },
    organizer: { self: false },
    attendees: [
      { self: false, organizer: true, responseStatus: "accepted" },
      { self: true, responseStatus: "accepted" },
    ],
    ...extra,
  } satisfies CalendarEventCopy;
}

/** The same meeting with the user's own answer changed. */
export function answered(event: CalendarEventCopy, responseStatus: string): CalendarEventCopy {
  return {
    ...event,
    attendees: (event.attendees ?? []).map((a) => (a.self ? { ...a, responseStatus } : a)),
  };
}

export function statusEvent(id: string, eventType: "focusTime" | "outOfOffice", start: string, end: string) {
  return {
    id,
    status: "confirmed",
    eventType,
    summary: eventType === "focusTime" ? "Deep work on the Q2 plan" : "Holiday in Lisbon",
    start: { dateTime: `${DAY}T${start}:00Z` },
    end: { dateTime: `${DAY}T${end}:00Z` },
    organizer: { self: true },
    transparency: "opaque",
  } satisfies CalendarEventCopy;
}
