import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import { DEFAULT_PRESENCE_RULES } from "../../../../shared/domain/presence/profiles.js";
import type { BoundaryScheduler, BoundaryWakeUp } from "../../../../shared/ports/boundary-scheduler.js";
import type { Bus } from "../../../../shared/ports/bus.js";
import type { Calendar, CalendarEvent, CalendarSyncOptions } from "../../../../shared/ports/calendar.js";
import type { Clock } from "../../../../shared/ports/clock.js";
import type { Directory } from "../../../../shared/ports/directory.js";
import type { ThreeCx, ThreeCxPresence, ThreeCxPresenceChange } from "../../../../shared/ports/threecx.js";
import type {
  PresenceConfig,
  PresencePortsWithBus,
} from "../../../../shared/usecases/presence/presence-ports.js";
import { UserLinkStore } from "../../../../shared/usecases/user-sync/user-link-store.js";
import { capturedLogger } from "../../../support/captured-logger.js";

export const T0 = Date.parse("2026-03-24T10:00:00Z");
export const MIN = 60_000;

export function meetingEvent(
  id: string,
  startMs: number,
  endMs: number,
  extra: Partial<CalendarEvent> = {},
): CalendarEvent {
  return {
    id,
    status: "confirmed",
    eventType: "default",
    transparency: "opaque",
    start: { dateTime: new Date(startMs).toISOString() },
    end: { dateTime: new Date(endMs).toISOString() },
    allDay: false,
    attendees: [],
    organizerIsSelf: true,
    summary: "Secret project title",
    ...extra,
  };
}

/** One calendar with a change log: full reads and reads since a token, as events.list with singleEvents. */
export class FakeCalendar implements Calendar {
  readonly events = new Map<string, CalendarEvent>();
  private log: string[] = [];
  calls: { email: string; options: CalendarSyncOptions }[] = [];

  put(event: CalendarEvent): void {
    this.events.set(event.id, event);
    this.log.push(event.id);
  }

  cancel(id: string): void {
    this.put({ ...(this.events.get(id) as CalendarEvent), status: "cancelled" });
  }

  async syncEvents(email: string, options: CalendarSyncOptions = {}) {
    this.calls.push({ email, options });
    const position = String(this.log.length);
    if (options.syncToken === undefined) {
      const events = [...this.events.values()].filter((e) => e.status !== "cancelled");
      return { full: true, tokenInvalidated: false, events, nextSyncToken: position, timeZone: "UTC" };
    }
    const changed = [...new Set(this.log.slice(Number(options.syncToken)))];
    const events = changed.map((id) => this.events.get(id) as CalendarEvent);
    return { full: false, tokenInvalidated: false, events, nextSyncToken: position, timeZone: "UTC" };
  }

  async watchEvents(): Promise<never> {
    throw new Error("not used");
  }

  async stopChannel(): Promise<void> {}
}

type PresenceOnly = Pick<
  ThreeCx,
  "getPresence" | "setCurrentProfileName" | "setForwardingProfileMessage" | "setPresence"
>;

export class FakePbx implements PresenceOnly {
  presence: ThreeCxPresence = { profile: "Available", messages: {} };
  writes: string[] = [];
  patches = 0;
  failNextWrite = false;

  async getPresence() {
    return structuredClone(this.presence);
  }

  async setCurrentProfileName(_id: number, profile: string) {
    this.fail();
    this.patches++;
    this.writes.push(`profile:${profile}`);
    this.presence.profile = profile;
  }

  async setForwardingProfileMessage(_id: number, profile: string, message: string | null) {
    this.fail();
    this.patches++;
    this.writes.push(`message:${profile}`);
    this.presence.messages[profile] = message;
  }

  /** One PATCH: recorded as its messages, then its profile; `patches` counts the writes themselves. */
  async setPresence(_id: number, change: ThreeCxPresenceChange) {
    this.fail();
    this.patches++;
    for (const [profile, message] of Object.entries(change.messages ?? {})) {
      this.writes.push(`message:${profile}`);
      this.presence.messages[profile] = message;
    }
    if (change.profile !== undefined) {
      this.writes.push(`profile:${change.profile}`);
      this.presence.profile = change.profile;
    }
  }

  private fail() {
    if (!this.failNextWrite) return;
    this.failNextWrite = false;
    throw new Error("3CX write failed");
  }
}

export class FakeClock implements Clock {
  constructor(public ms: number) {}
  now() {
    return new Date(this.ms);
  }
  async sleep(ms: number) {
    this.ms += ms;
  }
}

export class RecordingScheduler implements BoundaryScheduler {
  scheduled: BoundaryWakeUp[] = [];
  cancelled: BoundaryWakeUp[] = [];
  async schedule(w: BoundaryWakeUp) {
    this.scheduled.push(w);
  }
  async cancel(w: BoundaryWakeUp) {
    this.cancelled.push(w);
  }
}

export const CONFIG: PresenceConfig = {
  calendarPresence: true,
  rules: DEFAULT_PRESENCE_RULES,
  statusMessage: true,
  timeZone: "UTC",
};

export interface PresenceWorld {
  ports: PresencePortsWithBus;
  calendar: FakeCalendar;
  pbx: FakePbx;
  clock: FakeClock;
  scheduler: RecordingScheduler;
  published: { topic: string; payload: unknown; attributes?: Record<string, string> }[];
  logs: Record<string, unknown>[];
  state: SqliteStateStore;
  link(googleId: string, threecxId?: number): Promise<void>;
}

export async function presenceWorld(): Promise<PresenceWorld> {
  const state = new SqliteStateStore(":memory:");
  const calendar = new FakeCalendar();
  const pbx = new FakePbx();
  const clock = new FakeClock(T0);
  const scheduler = new RecordingScheduler();
  const published: { topic: string; payload: unknown; attributes?: Record<string, string> }[] = [];
  const { logger, lines: logs } = capturedLogger("test", "debug");
  const directory = {
    getUser: async (id: string) => ({ id, primaryEmail: `${id}@example.com`, deleted: false }),
  } as unknown as Directory;
  const bus = {
    publish: async (topic: string, payload: unknown, attributes?: Record<string, string>) => {
      published.push({ topic, payload, ...(attributes ? { attributes } : {}) });
      return String(published.length);
    },
  } as unknown as Bus;
  const ports: PresencePortsWithBus = {
    calendar,
    directory,
    threecx: pbx as unknown as ThreeCx,
    state,
    scheduler,
    clock,
    bus,
    logger,
  };
  return {
    ports,
    calendar,
    pbx,
    clock,
    scheduler,
    published,
    logs,
    state,
    link: (googleId, threecxId = 7) =>
      new UserLinkStore(state).save({
        googleId,
        threecxId,
        number: "101",
        origin: "created",
        disabledByGw3cx: false,
      }),
  };
}
