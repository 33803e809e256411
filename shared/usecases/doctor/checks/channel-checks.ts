import { type CheckResult, fail, pass, skip, warn } from "../../../domain/doctor/check-result.js";
import { formatSpan } from "../../../domain/status/status-time.js";
import { type ChannelRecord, ChannelStore } from "../../channels/channel-store.js";
import { TICK_RENEW_WITHIN_MS, WATCHED_DIRECTORY_EVENTS } from "../../channels/renew-directory-channels.js";
import type { DoctorCheck } from "../doctor-ports.js";

const DIRECTORY = "directory-channels";
const CALENDAR = "calendar-channels";
/**
 * The renewal tick runs every 3 hours and renews what has under 7 hours left; a channel with less
 * than the difference left has missed at least one tick.
 */
const OVERDUE_WITHIN_MS = TICK_RENEW_WITHIN_MS - 3 * 60 * 60 * 1000;

const RENEW_FIX =
  "the renewal runs nightly and every 3 hours (gw3cx-daily-sync in the cloud; `npm start` locally): check that it runs, or run `gw3cx sync`";

/** The Directory channels real-time sync listens on, and the calendar channels of presence. */
export const channelChecks: DoctorCheck = {
  names: [DIRECTORY, CALENDAR],
  async run(ports, config) {
    const store = new ChannelStore(ports.state);
    const now = ports.clock.now().getTime();
    const [directory, calendar] = await Promise.all([store.ofKind("directory"), store.ofKind("calendar")]);
    return [
      config.syncUsers
        ? directoryResult(directory, now)
        : skip(DIRECTORY, "user sync is off (syncUsers: false)"),
      config.calendarPresence ? calendarResult(calendar, now) : skip(CALENDAR, "calendar presence is off"),
    ];
  },
};

function directoryResult(channels: ChannelRecord[], now: number): CheckResult {
  const live = channels.filter((c) => !c.expiration || c.expiration.getTime() > now);
  const missing = WATCHED_DIRECTORY_EVENTS.filter((event) => !live.some((c) => c.event === event));
  if (missing.length > 0) {
    const expired = channels.length - live.length;
    return fail(
      DIRECTORY,
      `no live Directory channel for ${missing.join(", ")}${expired ? ` (${expired} expired)` : ""}: changes in Google are not seen until the nightly run`,
      RENEW_FIX,
    );
  }
  return timeLeftResult(DIRECTORY, live, now, `${live.length} live Directory channels`);
}

function calendarResult(channels: ChannelRecord[], now: number): CheckResult {
  const expired = channels.filter((c) => c.expiration && c.expiration.getTime() <= now);
  if (expired.length > 0) {
    return fail(
      CALENDAR,
      `${expired.length} of ${channels.length} calendar channels expired: those calendars change presence late`,
      RENEW_FIX,
    );
  }
  if (channels.length === 0) return warn(CALENDAR, "no calendar channel is open yet", RENEW_FIX);
  return timeLeftResult(CALENDAR, channels, now, `${channels.length} live calendar channels`);
}

function timeLeftResult(name: string, live: ChannelRecord[], now: number, found: string): CheckResult {
  const soonest = Math.min(...live.map((c) => c.expiration?.getTime() ?? Number.POSITIVE_INFINITY));
  if (soonest === Number.POSITIVE_INFINITY) return pass(name, found);
  const left = soonest - now;
  if (left < OVERDUE_WITHIN_MS) {
    return warn(name, `${found}, but one expires in ${formatSpan(left)}: its renewal is overdue`, RENEW_FIX);
  }
  return pass(name, `${found}; the first expires in ${formatSpan(left)}`);
}
