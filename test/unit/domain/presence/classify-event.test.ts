import { describe, expect, it } from "vitest";
import type { CalendarEventCopy } from "../../../../shared/domain/presence/calendar-event-copy.js";
import { CLASSIFICATION_ROWS } from "../../../../shared/domain/presence/classification-rules.js";
import { classifyEvent } from "../../../../shared/domain/presence/classify-event.js";
import { DEFAULT_PRESENCE_RULES, type PresenceRules } from "../../../../shared/domain/presence/profiles.js";
import { answered, meeting, statusEvent, utc } from "./events.js";

const rules = DEFAULT_PRESENCE_RULES;
const withTentative: PresenceRules = { ...rules, includeTentative: true };
const base = meeting("m", "10:00", "11:00");
const noAttendees: CalendarEventCopy = { ...base, attendees: undefined };
const organised: CalendarEventCopy = {
  ...base,
  organizer: { self: true },
  attendees: [{ self: true, organizer: true, responseStatus: "accepted" }, { responseStatus: "needsAction" }],
};
const invitedViaGroup: CalendarEventCopy = {
  ...base,
  attendees: [{ organizer: true, responseStatus: "accepted" }],
};

/** Every row of the rule table: [case, event, rules, rule id, profile or null when ignored]. */
const ROWS: [string, CalendarEventCopy, PresenceRules, string, string | null][] = [
  ["accepted meeting", base, rules, "default-accepted", "Out of office"],
  ["meeting the user organises", organised, rules, "default-organizer", "Out of office"],
  [
    "organised, Calendar port's flattened form",
    {
      ...organised,
      organizer: null,
      organizerIsSelf: true,
      attendees: [{ self: true, responseStatus: "needsAction" }],
    },
    rules,
    "default-organizer",
    "Out of office",
  ],
  ["event without attendees", noAttendees, rules, "default-no-attendees", "Out of office"],
  [
    "event with an empty attendee list",
    { ...base, attendees: [] },
    rules,
    "default-no-attendees",
    "Out of office",
  ],
  [
    "eventType absent reads as default",
    { ...base, eventType: undefined },
    rules,
    "default-accepted",
    "Out of office",
  ],
  [
    "transparency opaque counts",
    { ...base, transparency: "opaque" },
    rules,
    "default-accepted",
    "Out of office",
  ],
  ["declined", answered(base, "declined"), rules, "declined", null],
  ["declined, even with includeTentative", answered(base, "declined"), withTentative, "declined", null],
  ["organiser who declined their own meeting", answered(organised, "declined"), rules, "declined", null],
  ["tentative", answered(base, "tentative"), rules, "tentative", null],
  [
    "tentative with includeTentative",
    answered(base, "tentative"),
    withTentative,
    "default-tentative",
    "Out of office",
  ],
  ["needsAction", answered(base, "needsAction"), rules, "needs-action", null],
  [
    "responseStatus absent reads as needsAction",
    answered(base, undefined as unknown as string),
    rules,
    "needs-action",
    null,
  ],
  [
    "needsAction with includeTentative",
    answered(base, "needsAction"),
    withTentative,
    "default-needs-action",
    "Out of office",
  ],
  ["invited through a group (no self entry)", invitedViaGroup, rules, "needs-action", null],
  [
    "invited through a group, includeTentative",
    invitedViaGroup,
    withTentative,
    "default-needs-action",
    "Out of office",
  ],
  ["transparent (Free)", { ...base, transparency: "transparent" }, rules, "transparent", null],
  [
    "transparent even when organised",
    { ...organised, transparency: "transparent" },
    rules,
    "transparent",
    null,
  ],
  ["cancelled", { ...base, status: "cancelled" }, rules, "cancelled", null],
  [
    "cancelled instance with only ids",
    { id: "s_20260324", status: "cancelled", recurringEventId: "s" },
    rules,
    "cancelled",
    null,
  ],
  ["focus time", statusEvent("f", "focusTime", "10:00", "11:00"), rules, "focus-time", "Out of office"],
  ["out of office", statusEvent("o", "outOfOffice", "10:00", "11:00"), rules, "out-of-office", "Away"],
  [
    "working location",
    { ...base, eventType: "workingLocation", transparency: "transparent" },
    rules,
    "working-location",
    null,
  ],
  [
    "opaque working location still ignored",
    { ...base, eventType: "workingLocation" },
    rules,
    "working-location",
    null,
  ],
  ["birthday", { ...noAttendees, eventType: "birthday" }, rules, "birthday", null],
  ["from Gmail", { ...noAttendees, eventType: "fromGmail" }, rules, "from-gmail", null],
  [
    "an event type Google adds later",
    { ...noAttendees, eventType: "somethingNew" },
    rules,
    "unknown-event-type",
    null,
  ],
  ["no start", { ...base, start: undefined }, rules, "no-time", null],
  ["unreadable dateTime", { ...base, end: { dateTime: "tomorrow" } }, rules, "no-time", null],
  ["zero length", { ...base, end: base.start }, rules, "zero-length", null],
  ["ends before it starts", { ...base, start: base.end, end: base.start }, rules, "zero-length", null],
];

describe("classifyEvent", () => {
  it.each(ROWS)("%s -> %s", (_name, event, r, rule, profile) => {
    const c = classifyEvent(event, r, "UTC");
    expect(c.rule).toBe(rule);
    expect(c.counted).toBe(profile !== null);
    if (c.counted) expect(c.interval.profile).toBe(profile);
  });

  it("covers every row of the rule table", () => {
    const covered = new Set(ROWS.map((row) => row[3]));
    for (const row of CLASSIFICATION_ROWS) expect(covered, row.rule).toContain(row.rule);
  });

  it("maps each kind to the profile its setting names, and derives the kind from the profile", () => {
    const custom: PresenceRules = {
      eventProfile: "Away",
      focusTimeProfile: "Away",
      outOfOfficeProfile: "Out of office",
      includeTentative: false,
    };
    const cases: [CalendarEventCopy, string, string][] = [
      [base, "Away", "away"],
      [statusEvent("f", "focusTime", "10:00", "11:00"), "Away", "away"],
      [statusEvent("o", "outOfOffice", "10:00", "11:00"), "Out of office", "dnd"],
    ];
    for (const [event, profile, kind] of cases) {
      const c = classifyEvent(event, custom, "UTC");
      expect(c.counted && [c.interval.profile, c.interval.kind]).toEqual([profile, kind]);
    }
  });

  it("reads timed boundaries as instants whatever their offset", () => {
    const c = classifyEvent(
      {
        ...base,
        start: { dateTime: "2026-03-24T15:30:00+05:30" },
        end: { dateTime: "2026-03-24T04:00:00-07:00" },
      },
      rules,
      "Europe/Berlin",
    );
    expect(c.counted && [c.interval.start, c.interval.end]).toEqual([utc("10:00"), utc("10:00") + 3_600_000]);
  });

  it("reads a dateTime without offset in the event's own zone, else the calendar's", () => {
    const local = {
      ...base,
      start: { dateTime: "2026-03-24T10:00:00", timeZone: "Asia/Kolkata" },
      end: { dateTime: "2026-03-24T11:00:00" },
    };
    const c = classifyEvent(local, rules, "America/Los_Angeles");
    expect(c.counted && [c.interval.start, c.interval.end]).toEqual([utc("04:30"), utc("18:00")]);
  });

  it("calls a private or confidential meeting busy and a public one a meeting, never by title", () => {
    const labels = ["default", "public", "private", "confidential"].map((visibility) => {
      const c = classifyEvent({ ...base, visibility }, rules, "UTC");
      return c.counted ? c.interval.label : undefined;
    });
    expect(labels).toEqual(["meeting", "meeting", "busy", "busy"]);
  });
});

describe("classifyEvent: all-day events in the calendar's time zone", () => {
  const allDay = (start: string, end: string, extra: Partial<CalendarEventCopy> = {}): CalendarEventCopy => ({
    id: "a",
    status: "confirmed",
    eventType: "default",
    start: { date: start },
    end: { date: end },
    ...extra,
  });

  it.each([
    ["UTC", "2026-03-24", "2026-03-25", "2026-03-24T00:00:00.000Z", "2026-03-25T00:00:00.000Z"],
    ["Asia/Kolkata", "2026-03-24", "2026-03-25", "2026-03-23T18:30:00.000Z", "2026-03-24T18:30:00.000Z"],
    [
      "America/Los_Angeles",
      "2026-03-24",
      "2026-03-25",
      "2026-03-24T07:00:00.000Z",
      "2026-03-25T07:00:00.000Z",
    ],
    // Clocks go forward on 8 March: that day is 23 hours long.
    [
      "America/Los_Angeles",
      "2026-03-08",
      "2026-03-09",
      "2026-03-08T08:00:00.000Z",
      "2026-03-09T07:00:00.000Z",
    ],
    // And back on 1 November: 25 hours.
    [
      "America/Los_Angeles",
      "2026-11-01",
      "2026-11-02",
      "2026-11-01T07:00:00.000Z",
      "2026-11-02T08:00:00.000Z",
    ],
    // A week across the change.
    [
      "America/Los_Angeles",
      "2026-03-05",
      "2026-03-12",
      "2026-03-05T08:00:00.000Z",
      "2026-03-12T07:00:00.000Z",
    ],
    // Santiago moves its clocks at midnight: 6 September starts at 01:00 local.
    ["America/Santiago", "2026-09-06", "2026-09-07", "2026-09-06T04:00:00.000Z", "2026-09-07T03:00:00.000Z"],
  ])("in %s, %s..%s runs %s to %s", (zone, start, end, startIso, endIso) => {
    const c = classifyEvent(allDay(start, end), rules, zone);
    expect(
      c.counted && [new Date(c.interval.start).toISOString(), new Date(c.interval.end).toISOString()],
    ).toEqual([startIso, endIso]);
  });

  it("follows the same transparency rule as timed events: Free all-day events never count", () => {
    expect(
      classifyEvent(allDay("2026-03-24", "2026-03-25", { transparency: "transparent" }), rules, "UTC").rule,
    ).toBe("transparent");
  });

  it("rejects an unknown calendar time zone with a typed error naming it", () => {
    expect(() => classifyEvent(allDay("2026-03-24", "2026-03-25"), rules, "Mars/Olympus")).toThrow(
      expect.objectContaining({
        code: "PRESENCE_INVALID_TIME_ZONE",
        message: expect.stringContaining("Mars/Olympus"),
      }),
    );
  });
});
