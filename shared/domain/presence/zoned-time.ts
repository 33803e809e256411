import { Gw3cxError } from "../../errors.js";
import type { Instant } from "./instant.js";

/**
 * Wall-clock time in an IANA zone, computed with Intl alone (the tree has no date library and
 * the domain adds none). Used for all-day events (dates in the calendar's zone) and for the
 * "until 11:00" of status messages (the tenant's zone).
 */
export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export class InvalidTimeZoneError extends Gw3cxError<"PRESENCE_INVALID_TIME_ZONE"> {
  constructor(timeZone: string, cause: unknown) {
    super("PRESENCE_INVALID_TIME_ZONE", `time zone "${timeZone}" is not an IANA time zone name`, {
      cause,
      details: { timeZone },
    });
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (cause) {
      throw new InvalidTimeZoneError(timeZone, cause);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallClockAt(instant: Instant, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallClockAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at an instant, in ms (e.g. +19,800,000 for Asia/Kolkata). */
export function offsetAt(instant: Instant, timeZone: string): number {
  const wholeSeconds = Math.floor(instant / 1000) * 1000;
  return wallClockAsUtc(wallClockAt(wholeSeconds, timeZone)) - wholeSeconds;
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall-clock time happens in a zone. Across a DST change it resolves as Temporal's
 * "compatible" does: an ambiguous time (clocks went back) is its first occurrence; a time that does
 * not exist (clocks went forward, e.g. midnight in zones that switch at 00:00) moves forward by the
 * gap, so a day still starts at its first real instant.
 */
export function instantOfWallClock(wall: WallClock, timeZone: string): Instant {
  const asUtc = wallClockAsUtc(wall);
  // Offsets on either side of any transition near this time (zones change at most once a day).
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const candidates = [asUtc - before, asUtc - after].filter(
    (candidate) => candidate + offsetAt(candidate, timeZone) === asUtc,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return asUtc - before;
}

/** Midnight starting a calendar date ("yyyy-mm-dd") in a zone. */
export function startOfDate(date: { year: number; month: number; day: number }, timeZone: string): Instant {
  return instantOfWallClock({ ...date, hour: 0, minute: 0, second: 0 }, timeZone);
}
