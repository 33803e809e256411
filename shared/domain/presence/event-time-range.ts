import type { CalendarEventCopy, EventTimeCopy } from "./calendar-event-copy.js";
import type { TimeRange } from "./instant.js";
import { instantOfWallClock, startOfDate } from "./zoned-time.js";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * An event boundary as an instant. Timed boundaries carry their offset and are exact; all-day
 * dates start at midnight in the calendar's zone (so an all-day event in a Los Angeles calendar
 * runs 08:00Z to 08:00Z, 07:00Z after the spring change). undefined: unreadable.
 */
export function boundaryInstant(time: EventTimeCopy | null | undefined, calendarTimeZone: string) {
  if (!time) return undefined;
  if (time.dateTime) {
    const m = DATE_TIME.exec(time.dateTime);
    if (!m) return undefined;
    if (m[7]) {
      const parsed = Date.parse(time.dateTime);
      return Number.isNaN(parsed) ? undefined : parsed;
    }
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0));
    return instantOfWallClock(
      {
        year: year ?? 0,
        month: month ?? 0,
        day: day ?? 0,
        hour: hour ?? 0,
        minute: minute ?? 0,
        second: second ?? 0,
      },
      time.timeZone || calendarTimeZone,
    );
  }
  if (time.date) {
    const m = DATE.exec(time.date);
    if (!m) return undefined;
    return startOfDate({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, calendarTimeZone);
  }
  return undefined;
}

export function eventTimeRange(event: CalendarEventCopy, calendarTimeZone: string): TimeRange | undefined {
  const start = boundaryInstant(event.start, calendarTimeZone);
  const end = boundaryInstant(event.end, calendarTimeZone);
  return start === undefined || end === undefined ? undefined : { start, end };
}

export function isAllDay(event: CalendarEventCopy): boolean {
  return Boolean(event.start?.date && !event.start.dateTime);
}
