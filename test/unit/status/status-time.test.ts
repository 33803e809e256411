import { describe, expect, it } from "vitest";
import { nextDailyRun } from "../../../shared/domain/status/next-daily-run.js";
import {
  formatLocal,
  formatRelative,
  formatSpan,
  statusTime,
} from "../../../shared/domain/status/status-time.js";

const at = (iso: string) => Date.parse(iso);

describe("next nightly run (GW_SYNC_TIME in the tenant's zone, minute resolution)", () => {
  it("is today when the time is still ahead, tomorrow once it passed", () => {
    expect(
      new Date(nextDailyRun("02:00:00", "Europe/Berlin", at("2026-03-24T00:30:00Z"))).toISOString(),
    ).toBe("2026-03-24T01:00:00.000Z");
    expect(
      new Date(nextDailyRun("02:00:00", "Europe/Berlin", at("2026-03-24T01:00:00Z"))).toISOString(),
    ).toBe("2026-03-25T01:00:00.000Z");
  });

  it("drops the seconds as Cloud Scheduler does", () => {
    expect(new Date(nextDailyRun("23:59:59", "UTC", at("2026-03-24T23:59:30Z"))).toISOString()).toBe(
      "2026-03-25T23:59:00.000Z",
    );
  });

  it("follows daylight saving: a time the clocks skip runs at the first real instant after", () => {
    // Europe/Berlin skips 02:00-03:00 on 2026-03-29.
    expect(
      new Date(nextDailyRun("02:30:00", "Europe/Berlin", at("2026-03-28T12:00:00Z"))).toISOString(),
    ).toBe("2026-03-29T01:30:00.000Z");
    expect(
      new Date(nextDailyRun("02:30:00", "Europe/Berlin", at("2026-03-29T12:00:00Z"))).toISOString(),
    ).toBe("2026-03-30T00:30:00.000Z");
  });

  it("crosses month and year ends", () => {
    expect(
      new Date(nextDailyRun("01:00:00", "America/New_York", at("2026-12-31T08:00:00Z"))).toISOString(),
    ).toBe("2027-01-01T06:00:00.000Z");
  });
});

describe("status times", () => {
  it("reads relative times in the largest whole unit, never overstating", () => {
    const now = at("2026-03-24T10:00:00Z");
    expect(formatRelative(now + 6 * 3_600_000 + 59 * 60_000, now)).toBe("in 6 h");
    expect(formatRelative(now - 3 * 60_000 - 10_000, now)).toBe("3 min ago");
    expect(formatRelative(now + 2 * 86_400_000, now)).toBe("in 2 d");
    expect(formatRelative(now + 400, now)).toBe("now");
    expect(formatSpan(400)).toBe("under 1 s");
    expect(formatSpan(61_000)).toBe("1 min");
  });

  it("shows wall-clock times in the tenant's zone with its abbreviation", () => {
    expect(formatLocal(at("2026-03-24T10:00:00Z"), "Europe/Berlin")).toBe("Tue 24 Mar, 11:00 CET");
    expect(statusTime(at("2026-03-24T10:00:00Z"), at("2026-03-24T04:00:00Z"), "UTC")).toEqual({
      at: "2026-03-24T10:00:00.000Z",
      local: "Tue 24 Mar, 10:00 UTC",
      relative: "in 6 h",
    });
  });
});
