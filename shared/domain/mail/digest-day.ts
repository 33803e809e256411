import type { Instant } from "../presence/instant.js";
import { wallClockAt } from "../presence/zoned-time.js";

const HH_MM_SS = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;

/**
 * Which day's digest a trigger at `now` sends: the local date (in timeZone) of the latest
 * digestTime at or before now. Minute resolution, as Cloud Scheduler fires ("07:00:30" is due at
 * 07:00). A trigger that fires twice, or late (a retry minutes after, a local timer woken after a
 * suspend), names the same day, so the marker kept under that name lets only one of them send.
 * Before the day's time it is still the previous day's digest.
 */
export function digestDayOf(digestTime: string, timeZone: string, now: Instant): string {
  const match = HH_MM_SS.exec(digestTime);
  if (!match) throw new RangeError(`digest time ${JSON.stringify(digestTime)} is not HH:MM:SS`);
  const dueMinute = Number(match[1]) * 60 + Number(match[2]);
  const wall = wallClockAt(now, timeZone);
  const beforeDue = wall.hour * 60 + wall.minute < dueMinute;
  // Date.UTC normalises day 0 to the last day of the month before.
  const day = new Date(Date.UTC(wall.year, wall.month - 1, wall.day - (beforeDue ? 1 : 0)));
  return day.toISOString().slice(0, 10);
}
