/**
 * GW_SYNC_TIME and mail.digestTime ("HH:MM:SS", 24-hour, in the tenant's time zone) as a Cloud
 * Scheduler schedule.
 *
 * Cloud Scheduler takes unix-cron (minute hour day-of-month month day-of-week) and has minute
 * resolution, so the seconds are dropped: "02:30:45" runs at 02:30. The time zone is not part of
 * the expression; it goes on the job (time_zone), so daylight saving time follows the tz rules.
 */
const HH_MM_SS = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;

export function syncTimeToCron(syncTime: string): string {
  return dailyTimeToCron(syncTime, "GW_SYNC_TIME");
}

/** A daily "HH:MM:SS" setting as unix-cron; `setting` names it in the error (e.g. mail.digestTime). */
export function dailyTimeToCron(time: string, setting: string): string {
  const match = HH_MM_SS.exec(time);
  if (!match) {
    throw new Error(`${setting} ${JSON.stringify(time)} is not a 24-hour time HH:MM:SS, e.g. "02:30:00"`);
  }
  const [, hours, minutes] = match;
  return `${Number(minutes)} ${Number(hours)} * * *`;
}
