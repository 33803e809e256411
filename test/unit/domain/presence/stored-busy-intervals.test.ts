import { describe, expect, it } from "vitest";
import type { CalendarEventCopy } from "../../../../shared/domain/presence/calendar-event-copy.js";
import { DEFAULT_PRESENCE_RULES } from "../../../../shared/domain/presence/profiles.js";
import {
  fullReadWindow,
  updateBusyIntervals,
} from "../../../../shared/domain/presence/stored-busy-intervals.js";
import { answered, meeting, utc } from "./events.js";

const read = (full: boolean, events: CalendarEventCopy[]) => ({
  full,
  events,
  calendarTimeZone: "UTC",
});
const spans = (intervals: { eventId: string; start: number; end: number }[]) =>
  intervals.map(
    (i) =>
      `${i.eventId} ${new Date(i.start).toISOString().slice(11, 16)}-${new Date(i.end).toISOString().slice(11, 16)}`,
  );

describe("the stored busy intervals of a user", () => {
  const now = utc("09:00");
  const start = updateBusyIntervals(
    [],
    read(true, [meeting("a", "10:00", "11:00"), meeting("b", "12:00", "13:00")]),
    DEFAULT_PRESENCE_RULES,
    now,
  );

  it("a full read replaces everything stored", () => {
    expect(spans(start)).toEqual(["a 10:00-11:00", "b 12:00-13:00"]);
    const again = updateBusyIntervals(
      start,
      read(true, [meeting("c", "14:00", "15:00")]),
      DEFAULT_PRESENCE_RULES,
      now,
    );
    expect(spans(again)).toEqual(["c 14:00-15:00"]);
  });

  it("an incremental read replaces only the changed events: moved, declined, cancelled, new", () => {
    const moved = updateBusyIntervals(
      start,
      read(false, [meeting("a", "10:30", "11:30")]),
      DEFAULT_PRESENCE_RULES,
      now,
    );
    expect(spans(moved)).toEqual(["a 10:30-11:30", "b 12:00-13:00"]);
    const declined = updateBusyIntervals(
      moved,
      read(false, [answered(meeting("a", "10:30", "11:30"), "declined")]),
      DEFAULT_PRESENCE_RULES,
      now,
    );
    expect(spans(declined)).toEqual(["b 12:00-13:00"]);
    const cancelled = updateBusyIntervals(
      declined,
      read(false, [
        { ...meeting("b", "12:00", "13:00"), status: "cancelled" },
        meeting("d", "08:30", "09:30"),
      ]),
      DEFAULT_PRESENCE_RULES,
      now,
    );
    expect(spans(cancelled)).toEqual(["d 08:30-09:30"]);
  });

  it("drops intervals over more than a day ago; the full window is a day back and 14 days ahead", () => {
    const dayLater = utc("11:30", "2026-03-25");
    const pruned = updateBusyIntervals(start, read(false, []), DEFAULT_PRESENCE_RULES, dayLater);
    expect(spans(pruned)).toEqual(["b 12:00-13:00"]);
    expect(fullReadWindow(now)).toEqual({ from: now - 86_400_000, until: now + 14 * 86_400_000 });
  });
});
