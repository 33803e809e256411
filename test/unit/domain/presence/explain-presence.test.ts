import { describe, expect, it } from "vitest";
import { explainPresence } from "../../../../shared/domain/presence/explain-presence.js";
import { DEFAULT_PRESENCE_RULES } from "../../../../shared/domain/presence/profiles.js";
import { answered, meeting, statusEvent, utc } from "./events.js";

const rules = DEFAULT_PRESENCE_RULES;
const z = (hhmm: string, day = "2026-03-24") => `${day}T${hhmm}:00.000Z`;

describe("explainPresence", () => {
  const events = [
    meeting("standup", "10:00", "10:30"),
    meeting("review", "10:30", "11:00", { visibility: "private", summary: "Salary review with Dana" }),
    answered(meeting("offsite", "10:00", "12:00"), "declined"),
    statusEvent("ooo", "outOfOffice", "13:00", "17:00"),
  ];

  it("gives the decision, the block and the next boundary; merged meetings have none inside", () => {
    const { events: _list, ...decision } = explainPresence(events, utc("10:15"), "Available", rules, "UTC");
    expect(decision).toEqual({
      at: z("10:15"),
      profile: "Out of office",
      rule: "default-accepted",
      block: { start: z("10:00"), end: z("11:00"), kind: "dnd" },
      nextBoundary: z("11:00"),
    });
  });

  it("lists which rule counted or ignored each event, never a private title", () => {
    const explanation = explainPresence(events, utc("10:15"), "Available", rules, "UTC");
    expect(explanation.events).toEqual([
      {
        id: "standup",
        title: "Meeting standup",
        start: z("10:00"),
        end: z("10:30"),
        counted: true,
        rule: "default-accepted",
        profile: "Out of office",
      },
      {
        id: "review",
        title: "private event",
        start: z("10:30"),
        end: z("11:00"),
        counted: true,
        rule: "default-accepted",
        profile: "Out of office",
      },
      {
        id: "offsite",
        title: "Meeting offsite",
        start: z("10:00"),
        end: z("12:00"),
        counted: false,
        rule: "declined",
      },
      {
        id: "ooo",
        title: "Holiday in Lisbon",
        start: z("13:00"),
        end: z("17:00"),
        counted: true,
        rule: "out-of-office",
        profile: "Away",
      },
    ]);
    expect(JSON.stringify(explanation)).not.toContain("Salary");
  });

  it.each([
    ["before everything", "09:00", null, null, null, "10:00"],
    ["between blocks: gw3cx sets nothing", "12:00", null, null, null, "13:00"],
    ["out of office", "14:00", "Away", "out-of-office", "away", "17:00"],
    ["after everything", "17:00", null, null, null, null],
  ])("%s (%s)", (_name, at, profile, rule, kind, next) => {
    const e = explainPresence(events, utc(at), "Available", rules, "UTC");
    expect([e.profile, e.rule, e.block?.kind ?? null, e.nextBoundary]).toEqual([
      profile,
      rule,
      kind,
      next === null ? null : z(next),
    ]);
  });

  it.each(["Custom 1", "Custom 2"])(
    "while 3CX shows %s gw3cx puts the user in nothing, and says why",
    (current) => {
      const e = explainPresence(events, utc("10:15"), current, rules, "UTC");
      expect([e.profile, e.rule, e.block?.kind]).toEqual([null, "reserved-profile", "dnd"]);
    },
  );

  it("places all-day events in the calendar's zone (an events.list response's timeZone)", () => {
    const holiday = {
      id: "h",
      status: "confirmed",
      eventType: "default",
      summary: "Holi",
      start: { date: "2026-03-04" },
      end: { date: "2026-03-05" },
    };
    const e = explainPresence([holiday], utc("20:00", "2026-03-03"), null, rules, "Asia/Kolkata");
    expect(e.block).toEqual({
      start: "2026-03-03T18:30:00.000Z",
      end: "2026-03-04T18:30:00.000Z",
      kind: "dnd",
    });
    expect(e.nextBoundary).toBe("2026-03-04T18:30:00.000Z");
  });
});
