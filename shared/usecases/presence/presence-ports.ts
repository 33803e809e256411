import type { PresenceRules } from "../../domain/presence/profiles.js";
import type { Logger } from "../../logging/logger.js";
import type { BoundaryScheduler } from "../../ports/boundary-scheduler.js";
import type { Bus } from "../../ports/bus.js";
import type { Calendar } from "../../ports/calendar.js";
import type { Clock } from "../../ports/clock.js";
import type { Directory } from "../../ports/directory.js";
import type { StateStore } from "../../ports/state-store.js";
import type { ThreeCx } from "../../ports/threecx.js";

/** Everything presence talks to; passed in, so the same use cases run in a function, locally or in a test. */
export interface PresencePorts {
  calendar: Calendar;
  /** For the email a calendar is read as (links hold Google ids only). */
  directory: Directory;
  threecx: ThreeCx;
  state: StateStore;
  scheduler: BoundaryScheduler;
  clock: Clock;
  logger: Logger;
}

/** The settings presence reads (a slice of the full Settings). */
export interface PresenceConfig {
  calendarPresence: boolean;
  rules: PresenceRules;
  statusMessage: boolean;
  /** The tenant's zone: status message times, and all-day dates when a calendar names none. */
  timeZone: string;
}

export type PresencePortsWithBus = PresencePorts & { bus: Bus };
