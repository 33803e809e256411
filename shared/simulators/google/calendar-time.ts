/**
 * Wall-clock arithmetic in IANA time zones (for recurring series that keep 10:00 across DST) and a
 * subset of RFC 5545 recurrence: RRULE FREQ=DAILY|WEEKLY with INTERVAL, COUNT, UNTIL, BYDAY, plus
 * EXDATE. That covers what the presence rules meet; other rules are refused when an event is added.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallTimeIn(instantMs: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** Offset of the zone from UTC at an instant, in milliseconds. */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  return wallAsUtc(wallTimeIn(instantMs, timeZone)) - Math.floor(instantMs / 1000) * 1000;
}

/** The instant a wall-clock time in a zone denotes (the later one in a DST gap/overlap). */
export function zonedToInstant(wall: WallTime, timeZone: string): number {
  const guess = wallAsUtc(wall);
  const first = guess - zoneOffsetMs(guess, timeZone);
  const second = guess - zoneOffsetMs(first, timeZone);
  return second;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** RFC 3339 with the zone's offset, as Google writes dateTime values. */
export function formatInZone(instantMs: number, timeZone: string): string {
  const wall = wallTimeIn(instantMs, timeZone);
  const offsetMinutes = Math.round(zoneOffsetMs(instantMs, timeZone) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const offset = offsetMinutes === 0 ? "Z" : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${offset}`;
}

export function dateOnly(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 10);
}

/** yyyy-mm-dd as midnight UTC (all-day arithmetic ignores zones). */
export function parseDate(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`invalid date "${date}"`);
  return ms;
}

/** Instance-id suffix: 20240101T100000Z for timed, 20240101 for all-day. */
export function instanceSuffix(instantMs: number, allDay: boolean): string {
  const iso = new Date(instantMs).toISOString();
  const date = iso.slice(0, 10).replace(/-/g, "");
  return allDay ? date : `${date}T${iso.slice(11, 19).replace(/:/g, "")}Z`;
}

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

export interface RecurrenceRule {
  freq: "DAILY" | "WEEKLY";
  interval: number;
  count?: number;
  untilMs?: number;
  byDay?: number[];
  exDates: Set<number>;
}

/** Parses the recurrence lines of a master event; throws RangeError for what it does not support. */
export function parseRecurrence(lines: readonly string[], timeZone: string): RecurrenceRule {
  let rule: RecurrenceRule | undefined;
  const exDates = new Set<number>();
  for (const line of lines) {
    if (line.startsWith("RRULE:")) {
      const parts = new Map(
        line
          .slice(6)
          .split(";")
          .map((p) => p.split("=") as [string, string]),
      );
      const freq = parts.get("FREQ");
      if (freq !== "DAILY" && freq !== "WEEKLY") throw new RangeError(`unsupported FREQ in "${line}"`);
      for (const key of parts.keys()) {
        if (!["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"].includes(key)) {
          throw new RangeError(`unsupported ${key} in "${line}"`);
        }
      }
      const until = parts.get("UNTIL");
      rule = {
        freq,
        interval: Number(parts.get("INTERVAL") ?? 1),
        count: parts.has("COUNT") ? Number(parts.get("COUNT")) : undefined,
        untilMs: until ? parseIcalTime(until, timeZone) : undefined,
        byDay: parts
          .get("BYDAY")
          ?.split(",")
          .map((d) => {
            const index = WEEKDAYS.indexOf(d);
            if (index < 0) throw new RangeError(`unsupported BYDAY value "${d}"`);
            return index;
          }),
        exDates,
      };
    } else if (line.startsWith("EXDATE")) {
      const [, values = ""] = line.split(":");
      for (const value of values.split(",")) exDates.add(parseIcalTime(value, timeZone));
    } else {
      throw new RangeError(`unsupported recurrence line "${line}"`);
    }
  }
  if (!rule) throw new RangeError("recurrence needs an RRULE");
  return rule;
}

/** 20240101T100000Z (UTC), 20240101T100000 (zone wall time) or 20240101 (date). */
function parseIcalTime(value: string, timeZone: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) throw new RangeError(`invalid recurrence time "${value}"`);
  const wall = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  if (m[7] === "Z" || m[4] === undefined) return wallAsUtc(wall);
  return zonedToInstant(wall, timeZone);
}

/**
 * Start instants of a series, in order, up to `horizonMs` (exclusive). Timed series step in the
 * zone's wall time; all-day series (allDay) step in whole days from midnight UTC.
 */
export function expandStarts(
  rule: RecurrenceRule,
  firstStartMs: number,
  allDay: boolean,
  timeZone: string,
  horizonMs: number,
): number[] {
  const starts: number[] = [];
  const first = allDay ? wallTimeIn(firstStartMs, "UTC") : wallTimeIn(firstStartMs, timeZone);
  const toInstant = (dayOffset: number) => {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + dayOffset));
    const wall = {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: first.hour,
      minute: first.minute,
      second: first.second,
    };
    return allDay ? wallAsUtc(wall) : zonedToInstant(wall, timeZone);
  };
  const firstWeekday = new Date(Date.UTC(first.year, first.month - 1, first.day)).getUTCDay();
  let produced = 0;
  // No fixed horizon: the caller's horizon (timeMax, or its own bound) ends the walk.
  for (let dayOffset = 0; ; dayOffset++) {
    let matches: boolean;
    if (rule.freq === "DAILY") {
      matches = dayOffset % rule.interval === 0;
    } else {
      const weekday = (firstWeekday + dayOffset) % 7;
      const week = Math.floor((dayOffset + firstWeekday) / 7);
      const days = rule.byDay ?? [firstWeekday];
      matches = week % rule.interval === 0 && days.includes(weekday);
    }
    if (!matches) {
      if (toInstant(dayOffset) >= horizonMs) break;
      continue;
    }
    const start = toInstant(dayOffset);
    if (start < firstStartMs) continue;
    if (rule.untilMs !== undefined && start > rule.untilMs) break;
    if (rule.count !== undefined && produced >= rule.count) break;
    if (start >= horizonMs) break;
    produced++;
    if (!rule.exDates.has(start)) starts.push(start);
  }
  return starts;
}
