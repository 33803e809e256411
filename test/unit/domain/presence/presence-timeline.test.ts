import { describe, expect, it } from "vitest";
import type { CalendarEventCopy } from "../../../../shared/domain/presence/calendar-event-copy.js";
import type { BusyInterval, BusyLabel } from "../../../../shared/domain/presence/classify-event.js";
import { PresenceTimeline } from "../../../../shared/domain/presence/presence-timeline.js";
import { DEFAULT_PRESENCE_RULES, kindOfProfile } from "../../../../shared/domain/presence/profiles.js";
import { meeting, statusEvent, utc } from "./events.js";

function interval(
  profile: "Out of office" | "Away",
  start: string,
  end: string,
  label?: BusyLabel,
): BusyInterval {
  return {
    start: utc(start),
    end: utc(end),
    profile,
    kind: kindOfProfile(profile),
    rule: profile === "Away" ? "out-of-office" : "default-accepted",
    label: label ?? (profile === "Away" ? "out-of-office" : "meeting"),
    eventId: `${profile}-${start}`,
  };
}
const dnd = (start: string, end: string, label?: BusyLabel) => interval("Out of office", start, end, label);
const away = (start: string, end: string) => interval("Away", start, end);

const hhmm = (instant: number) => new Date(instant).toISOString().slice(11, 16);
/** Blocks as "profile start-end until span" strings: one line says all a test needs. */
function describeBlocks(timeline: PresenceTimeline): string[] {
  return timeline.blocks.map(
    (b) =>
      `${b.kind} ${hhmm(b.start)}-${hhmm(b.end)} until ${hhmm(b.until)} span ${hhmm(b.span.start)}-${hhmm(b.span.end)}`,
  );
}

describe("PresenceTimeline: merging, DND over Away", () => {
  it.each<[string, BusyInterval[], string[]]>([
    ["one meeting", [dnd("10:00", "11:00")], ["dnd 10:00-11:00 until 11:00 span 10:00-11:00"]],
    [
      "overlapping meetings merge until the last ends",
      [dnd("10:00", "11:00"), dnd("10:30", "12:00")],
      ["dnd 10:00-12:00 until 12:00 span 10:00-12:00"],
    ],
    [
      "back-to-back meetings merge",
      [dnd("10:00", "11:00"), dnd("11:00", "12:00"), dnd("12:00", "12:30")],
      ["dnd 10:00-12:30 until 12:30 span 10:00-12:30"],
    ],
    [
      "a meeting inside another",
      [dnd("10:00", "12:00"), dnd("10:30", "11:00")],
      ["dnd 10:00-12:00 until 12:00 span 10:00-12:00"],
    ],
    [
      "order of input does not matter",
      [dnd("11:00", "12:00"), dnd("10:00", "11:00")],
      ["dnd 10:00-12:00 until 12:00 span 10:00-12:00"],
    ],
    [
      "a gap keeps two blocks",
      [dnd("10:00", "11:00"), dnd("11:30", "12:00")],
      ["dnd 10:00-11:00 until 11:00 span 10:00-11:00", "dnd 11:30-12:00 until 12:00 span 11:30-12:00"],
    ],
    [
      "a meeting inside an out-of-office day splits it Away / DND / Away",
      [away("09:00", "17:00"), dnd("10:00", "11:00")],
      [
        "away 09:00-10:00 until 17:00 span 09:00-17:00",
        "dnd 10:00-11:00 until 11:00 span 09:00-17:00",
        "away 11:00-17:00 until 17:00 span 09:00-17:00",
      ],
    ],
    [
      "Away inside DND is hidden by it",
      [dnd("10:00", "12:00"), away("10:30", "11:00")],
      ["dnd 10:00-12:00 until 12:00 span 10:00-12:00"],
    ],
    [
      "Away outlasting a meeting takes over at its end",
      [dnd("10:00", "11:00"), away("10:30", "12:00")],
      ["dnd 10:00-11:00 until 11:00 span 10:00-12:00", "away 11:00-12:00 until 12:00 span 10:00-12:00"],
    ],
    [
      "Away back-to-back with DND is one span, two blocks",
      [away("09:00", "10:00"), dnd("10:00", "11:00")],
      ["away 09:00-10:00 until 11:00 span 09:00-11:00", "dnd 10:00-11:00 until 11:00 span 09:00-11:00"],
    ],
    [
      "two meetings inside Away, back to back, are one DND block",
      [away("09:00", "17:00"), dnd("10:00", "11:00"), dnd("11:00", "11:30")],
      [
        "away 09:00-10:00 until 17:00 span 09:00-17:00",
        "dnd 10:00-11:30 until 11:30 span 09:00-17:00",
        "away 11:30-17:00 until 17:00 span 09:00-17:00",
      ],
    ],
    ["nothing busy", [], []],
  ])("%s", (_name, intervals, expected) => {
    expect(describeBlocks(PresenceTimeline.fromIntervals(intervals))).toEqual(expected);
  });
});

describe("PresenceTimeline queries", () => {
  const timeline = PresenceTimeline.fromIntervals([
    away("09:00", "17:00"),
    dnd("10:00", "11:00"),
    dnd("11:00", "11:30"),
    dnd("18:00", "19:00"),
  ]);

  it.each<[string, string | null, string | null]>([
    ["08:59", null, "09:00"],
    ["09:00", "Away", "10:00"],
    ["09:59", "Away", "10:00"],
    ["10:00", "Out of office", "11:30"],
    // No boundary where two meetings meet.
    ["11:00", "Out of office", "11:30"],
    ["11:30", "Away", "17:00"],
    ["17:00", null, "18:00"],
    ["18:30", "Out of office", "19:00"],
    ["19:00", null, null],
  ])("at %s: profile %s, next boundary %s", (at, profile, next) => {
    expect(timeline.profileAt(utc(at))?.profile ?? null).toBe(profile);
    const boundary = timeline.nextBoundary(utc(at));
    expect(boundary === null ? null : hhmm(boundary)).toBe(next);
  });

  it("names the rule of the interval that puts the user in the profile", () => {
    expect(timeline.profileAt(utc("09:30"))?.rule).toBe("out-of-office");
    expect(timeline.profileAt(utc("10:30"))?.rule).toBe("default-accepted");
  });

  it("every next boundary is a real change of profile", () => {
    let at = utc("00:00");
    for (let boundary = timeline.nextBoundary(at); boundary !== null; boundary = timeline.nextBoundary(at)) {
      expect(timeline.profileAt(boundary)?.profile).not.toBe(timeline.profileAt(at)?.profile);
      at = boundary;
    }
  });
});

describe("PresenceTimeline labels (what the status message calls a block)", () => {
  it.each<[string, BusyInterval[], BusyLabel]>([
    ["a meeting", [dnd("10:00", "11:00")], "meeting"],
    ["a private meeting", [dnd("10:00", "11:00", "busy")], "busy"],
    ["focus time", [dnd("10:00", "11:00", "focus-time")], "focus-time"],
    [
      "focus time merged with a meeting",
      [dnd("10:00", "11:00", "focus-time"), dnd("11:00", "12:00")],
      "meeting",
    ],
    ["a private and a public meeting", [dnd("10:00", "11:00", "busy"), dnd("10:30", "12:00")], "meeting"],
    ["out of office", [away("10:00", "11:00")], "out-of-office"],
  ])("%s -> %s", (_name, intervals, label) => {
    expect(PresenceTimeline.fromIntervals(intervals).blocks[0]?.label).toBe(label);
  });
});

describe("PresenceTimeline from events", () => {
  it("a weekly series with one cancelled instance (as singleEvents=true lists it) has no block that week", () => {
    const tuesday = (day: string, extra: Partial<CalendarEventCopy> = {}): CalendarEventCopy => ({
      ...meeting(`weekly_${day.replaceAll("-", "")}T100000Z`, "10:00", "11:00"),
      start: { dateTime: `${day}T10:00:00Z` },
      end: { dateTime: `${day}T11:00:00Z` },
      recurringEventId: "weekly",
      ...extra,
    });
    const events = [
      tuesday("2026-03-03"),
      // A cancelled instance may carry only its ids.
      { id: "weekly_20260310T100000Z", status: "cancelled", recurringEventId: "weekly" },
      tuesday("2026-03-17"),
      tuesday("2026-03-24"),
    ];
    const timeline = PresenceTimeline.fromEvents(events, DEFAULT_PRESENCE_RULES, "UTC");
    expect(timeline.blocks.map((b) => new Date(b.start).toISOString())).toEqual([
      "2026-03-03T10:00:00.000Z",
      "2026-03-17T10:00:00.000Z",
      "2026-03-24T10:00:00.000Z",
    ]);
    expect(timeline.profileAt(utc("10:30", "2026-03-10"))).toBeNull();
    expect(timeline.nextBoundary(utc("11:00", "2026-03-03"))).toBe(utc("10:00", "2026-03-17"));
  });

  it("focus time is DND and out of office is Away by default", () => {
    const timeline = PresenceTimeline.fromEvents(
      [statusEvent("o", "outOfOffice", "09:00", "17:00"), statusEvent("f", "focusTime", "13:00", "14:00")],
      DEFAULT_PRESENCE_RULES,
      "UTC",
    );
    expect(timeline.profileAt(utc("12:00"))).toMatchObject({ profile: "Away", rule: "out-of-office" });
    expect(timeline.profileAt(utc("13:30"))).toMatchObject({ profile: "Out of office", rule: "focus-time" });
  });
});

describe("PresenceTimeline against a brute-force reading of the intervals", () => {
  it("at every minute: the strongest covering profile, and the next boundary is the next change", () => {
    // A fixed pseudo-random sequence, so a failure reproduces.
    let seed = 17;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const minute = 60_000;
    for (let round = 0; round < 40; round++) {
      const intervals = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const start = utc("08:00") + Math.floor(next() * 48) * 5 * minute;
        const end = start + (1 + Math.floor(next() * 12)) * 5 * minute;
        return interval(next() < 0.4 ? "Away" : "Out of office", hhmm(start), hhmm(end));
      });
      const timeline = PresenceTimeline.fromIntervals(intervals);
      const truth = (t: number) =>
        intervals.some((i) => i.start <= t && t < i.end && i.profile === "Out of office")
          ? "Out of office"
          : intervals.some((i) => i.start <= t && t < i.end)
            ? "Away"
            : null;
      for (let t = utc("07:55"); t <= utc("14:00"); t += minute) {
        expect(timeline.profileAt(t)?.profile ?? null).toBe(truth(t));
        const boundary = timeline.nextBoundary(t);
        let change = t + minute;
        while (change <= utc("14:00") && truth(change) === truth(t)) change += minute;
        expect(boundary).toBe(change > utc("14:00") ? null : change);
      }
    }
  });
});
