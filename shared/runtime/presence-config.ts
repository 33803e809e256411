import type { Settings } from "../config/schema.js";
import type { PresenceConfig } from "../usecases/presence/presence-ports.js";

/** The slice of the settings presence reads. */
export function presenceConfigFrom(settings: Settings): PresenceConfig {
  const { eventProfile, focusTimeProfile, outOfOfficeProfile, includeTentative, statusMessage } =
    settings.presence;
  return {
    calendarPresence: settings.calendarPresence,
    rules: { eventProfile, focusTimeProfile, outOfOfficeProfile, includeTentative },
    statusMessage,
    timeZone: settings.timeZone,
  };
}
