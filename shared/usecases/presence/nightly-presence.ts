import type { ScheduledPresenceWork } from "../user-sync/run-daily-sync.js";
import {
  type CalendarChannelOptions,
  type CalendarChannelsResult,
  maintainCalendarChannels,
} from "./calendar-channels.js";
import type { PresenceConfig, PresencePortsWithBus } from "./presence-ports.js";
import { reconcilePresence } from "./reconcile-presence.js";
import { type CalendarResyncResult, resyncCalendars } from "./resync-calendars.js";

export interface NightlyPresenceResult {
  channels: CalendarChannelsResult;
  resync: CalendarResyncResult;
}

/** Presence's part of the nightly run: calendar channels checked (opened, renewed, stopped), then every calendar read whole. */
export async function runNightlyPresence(
  ports: PresencePortsWithBus,
  config: PresenceConfig,
  channels: Omit<CalendarChannelOptions, "calendarPresence">,
): Promise<NightlyPresenceResult> {
  return {
    channels: await maintainCalendarChannels(ports, {
      ...channels,
      calendarPresence: config.calendarPresence,
    }),
    resync: await resyncCalendars(ports, config),
  };
}

/** Presence's part of the scheduled jobs, for handleSyncRequest / runDailySync. */
export function scheduledPresenceWork(
  ports: PresencePortsWithBus,
  config: PresenceConfig,
  channels: Omit<CalendarChannelOptions, "calendarPresence">,
): ScheduledPresenceWork {
  return {
    nightly: () => runNightlyPresence(ports, config, channels),
    renewChannels: () =>
      maintainCalendarChannels(ports, { ...channels, calendarPresence: config.calendarPresence }),
    reconcile: () => reconcilePresence(ports, config),
  };
}
