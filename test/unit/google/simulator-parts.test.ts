import { describe, expect, it } from "vitest";
import {
  expandStarts,
  formatInZone,
  parseRecurrence,
  zonedToInstant,
} from "../../../shared/simulators/google/calendar-time.js";
import { applyFields, parseFields } from "../../../shared/simulators/google/fields.js";

describe("simulator: partial responses (fields)", () => {
  const body = {
    kind: "k",
    nextPageToken: "p",
    users: [{ id: "1", name: { givenName: "A", familyName: "B" }, phones: [{ value: "1", type: "work" }] }],
  };

  it("selects nested fields in parenthesis and slash form", () => {
    expect(applyFields(body, parseFields("nextPageToken,users(id,name(givenName))"))).toEqual({
      nextPageToken: "p",
      users: [{ id: "1", name: { givenName: "A" } }],
    });
    expect(applyFields(body, parseFields("users/phones/type,kind"))).toEqual({
      kind: "k",
      users: [{ phones: [{ type: "work" }] }],
    });
  });

  it("rejects unbalanced selections", () => {
    expect(() => parseFields("users(id")).toThrow(SyntaxError);
  });
});

describe("simulator: recurrence in time zones", () => {
  const zone = "Europe/Berlin";

  it("keeps the wall-clock time of a daily series across the DST change", () => {
    const first = zonedToInstant({ year: 2030, month: 10, day: 26, hour: 9, minute: 0, second: 0 }, zone);
    const starts = expandStarts(
      parseRecurrence(["RRULE:FREQ=DAILY;COUNT=3"], zone),
      first,
      false,
      zone,
      Infinity,
    );
    expect(starts.map((s) => formatInZone(s, zone))).toEqual([
      "2030-10-26T09:00:00+02:00",
      "2030-10-27T09:00:00+01:00",
      "2030-10-28T09:00:00+01:00",
    ]);
  });

  it("expands weekly BYDAY with EXDATE and UNTIL", () => {
    const first = zonedToInstant({ year: 2030, month: 3, day: 4, hour: 10, minute: 0, second: 0 }, zone); // a Monday
    const rule = parseRecurrence(
      ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20300313T235959Z", "EXDATE;TZID=Europe/Berlin:20300306T100000"],
      zone,
    );
    expect(
      expandStarts(rule, first, false, zone, Infinity).map((s) => formatInZone(s, zone).slice(0, 10)),
    ).toEqual(["2030-03-04", "2030-03-11", "2030-03-13"]);
  });

  it("refuses rules it does not implement rather than guessing", () => {
    expect(() => parseRecurrence(["RRULE:FREQ=MONTHLY;BYMONTHDAY=1"], zone)).toThrow(RangeError);
  });
});
