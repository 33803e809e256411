import { describe, expect, it } from "vitest";
import { digestDayOf } from "../../../../shared/domain/mail/digest-day.js";

const at = (iso: string) => Date.parse(iso);

describe("digestDayOf: which day's digest a trigger sends", () => {
  it.each([
    ["at the time", "07:00:00", "UTC", "2026-03-10T07:00:00.000Z", "2026-03-10"],
    ["a retry minutes later", "07:00:00", "UTC", "2026-03-10T07:09:30.000Z", "2026-03-10"],
    ["late in the evening", "07:00:00", "UTC", "2026-03-10T23:59:59.999Z", "2026-03-10"],
    ["just before the time: still yesterday's", "07:00:00", "UTC", "2026-03-10T06:59:59.999Z", "2026-03-09"],
    [
      "before the time on the 1st: the last of the month before",
      "07:00:00",
      "UTC",
      "2026-03-01T03:00:00Z",
      "2026-02-28",
    ],
    ["before the time on New Year's Day", "07:00:00", "UTC", "2027-01-01T03:00:00Z", "2026-12-31"],
    // Minute resolution, as Cloud Scheduler fires "07:00:30" at 07:00:00.
    ["seconds dropped", "07:00:30", "UTC", "2026-03-10T07:00:00.000Z", "2026-03-10"],
    // 07:00 in Berlin (UTC+1 in March before the switch) is 06:00Z.
    ["in the tenant's zone", "07:00:00", "Europe/Berlin", "2026-03-10T06:00:00.000Z", "2026-03-10"],
    [
      "in the tenant's zone, a minute early",
      "07:00:00",
      "Europe/Berlin",
      "2026-03-10T05:59:00.000Z",
      "2026-03-09",
    ],
    // 23:30 in Los Angeles on the 10th is already the 11th in UTC.
    [
      "a local date that differs from UTC's",
      "23:30:00",
      "America/Los_Angeles",
      "2026-03-11T06:45:00.000Z",
      "2026-03-10",
    ],
  ])("%s", (_name, time, zone, now, day) => {
    expect(digestDayOf(time, zone, at(now))).toBe(day);
  });

  it("two triggers of the same day (the job's retries, a duplicate delivery) name the same day; the next day's another", () => {
    const days = [
      "2026-10-25T07:00:00Z",
      "2026-10-25T07:00:05Z",
      "2026-10-25T18:00:00Z",
      "2026-10-26T07:00:00Z",
    ].map((iso) => digestDayOf("07:00:00", "UTC", at(iso)));
    expect(days).toEqual(["2026-10-25", "2026-10-25", "2026-10-25", "2026-10-26"]);
  });

  it("across the switch to summer time the day stays the local one", () => {
    // 2026-03-29 Berlin: 02:00 -> 03:00. 07:00 local is 05:00Z that day, 06:00Z the day before.
    expect(digestDayOf("07:00:00", "Europe/Berlin", at("2026-03-29T05:00:00Z"))).toBe("2026-03-29");
    expect(digestDayOf("07:00:00", "Europe/Berlin", at("2026-03-29T04:59:00Z"))).toBe("2026-03-28");
  });

  it("refuses a time that is not HH:MM:SS", () => {
    expect(() => digestDayOf("7:00", "UTC", 0)).toThrow(/digest time "7:00" is not HH:MM:SS/);
  });
});
