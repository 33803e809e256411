import type { Instant } from "../presence/instant.js";
import { instantOfWallClock, wallClockAt } from "../presence/zoned-time.js";

const HH_MM_SS = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;

/**
 * The next instant the nightly run starts: GW_SYNC_TIME in the tenant's zone, at minute resolution
 * as Cloud Scheduler runs it (seconds dropped), today if still ahead, else tomorrow. DST follows
 * the zone's rules (zoned-time.ts resolves skipped and repeated wall-clock times).
 */
export function nextDailyRun(syncTime: string, timeZone: string, now: Instant): Instant {
  const match = HH_MM_SS.exec(syncTime);
  if (!match) throw new RangeError(`sync time ${JSON.stringify(syncTime)} is not HH:MM:SS`);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const today = wallClockAt(now, timeZone);
  for (let dayOffset = 0; dayOffset <= 2; dayOffset++) {
    // Date.UTC normalises day overflow (31 + 1 becomes the 1st of the next month).
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + dayOffset));
    const at = instantOfWallClock(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour,
        minute,
        second: 0,
      },
      timeZone,
    );
    if (at > now) return at;
  }
  throw new RangeError(
    `no run of ${syncTime} in ${timeZone} within two days of ${new Date(now).toISOString()}`,
  );
}
