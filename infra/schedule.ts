/**
 * GW_SYNC_TIME ("HH:MM:SS", 24-hour, in the tenant's time zone) as a Cloud Scheduler schedule.
 *
 * Cloud Scheduler takes unix-cron (minute hour day-of-month month day-of-week) and has minute
 * resolution, so the seconds are dropped: "02:30:45" runs at 02:30. The time zone is not part of
 * the expression; it goes on the job (time_zone), so daylight saving time follows the tz rules.
 */
const HH_MM_SS = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;

export function syncTimeToCron(syncTime: string): string {
  const match = HH_MM_SS.exec(syncTime);
  if (!match) {
    throw new Error(
      `GW_SYNC_TIME ${JSON.stringify(syncTime)} is not a 24-hour time HH:MM:SS, e.g. "02:30:00"`,
    );
  }
  const [, hours, minutes] = match;
  return `${Number(minutes)} ${Number(hours)} * * *`;
}
