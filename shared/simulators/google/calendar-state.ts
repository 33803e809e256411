import {
  dateOnly,
  expandStarts,
  formatInZone,
  instanceSuffix,
  parseDate,
  parseRecurrence,
  type RecurrenceRule,
  wallTimeIn,
  zonedToInstant,
} from "./calendar-time.js";
import { SimError } from "./directory-state.js";
import { newEventId, quotedEtag } from "./ids.js";
import { type SeedEvent, seedEventSchema } from "./seed.js";

export interface SimEventTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

export interface SimAttendee {
  email: string;
  displayName?: string;
  organizer?: boolean;
  resource?: boolean;
  optional?: boolean;
  responseStatus: string;
}

/** A stored event, a series master (with recurrence) or an exception of one (recurringEventId). */
export interface StoredEvent {
  id: string;
  status: "confirmed" | "tentative" | "cancelled";
  eventType: string;
  summary?: string;
  description?: string;
  visibility?: string;
  transparency?: string;
  start: SimEventTime;
  end: SimEventTime;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: SimEventTime;
  attendees: SimAttendee[];
  organizer: string;
  focusTimeProperties?: Record<string, unknown>;
  outOfOfficeProperties?: Record<string, unknown>;
  workingLocationProperties?: Record<string, unknown>;
  created: string;
  updated: string;
  etag: string;
  /** Change sequence: what a sync token compares against. */
  seq: number;
}

export interface UserCalendar {
  ownerEmail: string;
  timeZone: string;
  events: Map<string, StoredEvent>;
  /** Bumped to invalidate every sync token of this calendar (410 GONE). */
  generation: number;
}

export type EventPatch = Partial<Omit<SeedEvent, "id">>;

const DAY_MS = 86_400_000;

/** Per-user primary calendars and the change sequence sync tokens are cut from. */
export class CalendarState {
  private readonly calendars = new Map<string, UserCalendar>();
  private sequence = 0;

  constructor(
    private readonly now: () => number,
    private readonly onChange: (userId: string) => void,
  ) {}

  get currentSequence(): number {
    return this.sequence;
  }

  calendarOf(userId: string, ownerEmail: string, timeZone: string): UserCalendar {
    let calendar = this.calendars.get(userId);
    if (!calendar) {
      calendar = { ownerEmail, timeZone, events: new Map(), generation: 1 };
      this.calendars.set(userId, calendar);
    }
    calendar.ownerEmail = ownerEmail;
    return calendar;
  }

  existing(userId: string): UserCalendar | undefined {
    return this.calendars.get(userId);
  }

  invalidateSyncTokens(userId: string): void {
    const calendar = this.calendars.get(userId);
    if (calendar) calendar.generation++;
  }

  addEvent(
    userId: string,
    calendar: UserCalendar,
    input: SeedEvent,
    options: { silent?: boolean } = {},
  ): StoredEvent {
    const parsed = seedEventSchema.parse(input);
    const id = parsed.id ?? newEventId();
    if (calendar.events.has(id)) throw new SimError(`event ${id} already exists`);
    const stamp = new Date(this.now()).toISOString();
    const event: StoredEvent = {
      id,
      status: parsed.status,
      eventType: parsed.eventType,
      summary: parsed.summary,
      description: parsed.description,
      visibility: parsed.visibility,
      transparency:
        parsed.transparency ?? (parsed.eventType === "workingLocation" ? "transparent" : undefined),
      start: normalizeTime(parsed.start, calendar.timeZone),
      end: normalizeTime(parsed.end, calendar.timeZone),
      recurrence: parsed.recurrence,
      attendees: (parsed.attendees ?? []).map((a) => ({ ...a, email: a.email.toLowerCase() })),
      organizer: (parsed.organizer ?? calendar.ownerEmail).toLowerCase(),
      focusTimeProperties: parsed.focusTimeProperties,
      outOfOfficeProperties: parsed.outOfOfficeProperties,
      workingLocationProperties: parsed.workingLocationProperties,
      created: stamp,
      updated: stamp,
      etag: quotedEtag(),
      seq: ++this.sequence,
    };
    validateEvent(event, calendar);
    calendar.events.set(id, event);
    if (!options.silent) this.onChange(userId);
    return event;
  }

  /**
   * Changes an event. An instance id of a series (master_20240101T100000Z) that has no exception
   * yet becomes one, as editing "this event" of a series does in Google Calendar.
   */
  updateEvent(userId: string, calendar: UserCalendar, eventId: string, patch: EventPatch): StoredEvent {
    const event = calendar.events.get(eventId) ?? this.materializeInstance(calendar, eventId);
    if (patch.start) event.start = normalizeTime(patch.start, calendar.timeZone);
    if (patch.end) event.end = normalizeTime(patch.end, calendar.timeZone);
    if (patch.attendees)
      event.attendees = patch.attendees.map((a) => ({
        ...a,
        responseStatus: a.responseStatus ?? "needsAction",
        email: a.email.toLowerCase(),
      }));
    for (const key of [
      "summary",
      "description",
      "visibility",
      "transparency",
      "status",
      "recurrence",
      "focusTimeProperties",
      "outOfOfficeProperties",
      "workingLocationProperties",
    ] as const) {
      if (patch[key] !== undefined) (event as unknown as Record<string, unknown>)[key] = patch[key];
    }
    if (patch.eventType !== undefined && patch.eventType !== event.eventType) {
      throw new SimError("eventType cannot be changed after creation");
    }
    validateEvent(event, calendar);
    this.touch(event);
    if (event.status === "cancelled" && event.recurrence) this.cancelExceptions(calendar, event.id);
    calendar.events.set(event.id, event);
    this.onChange(userId);
    return event;
  }

  /** Sets one attendee's answer (e.g. the owner declines). */
  respond(
    userId: string,
    calendar: UserCalendar,
    eventId: string,
    email: string,
    responseStatus: string,
  ): StoredEvent {
    const event = calendar.events.get(eventId) ?? this.materializeInstance(calendar, eventId);
    const attendee = event.attendees.find((a) => a.email === email.toLowerCase());
    if (!attendee) throw new SimError(`${email} is not an attendee of ${eventId}`);
    attendee.responseStatus = responseStatus;
    this.touch(event);
    calendar.events.set(event.id, event);
    this.onChange(userId);
    return event;
  }

  deleteEvent(userId: string, calendar: UserCalendar, eventId: string): void {
    const event = calendar.events.get(eventId) ?? this.materializeInstance(calendar, eventId);
    if (event.status === "cancelled") throw new SimError(`event ${eventId} is already deleted`);
    event.status = "cancelled";
    this.touch(event);
    calendar.events.set(event.id, event);
    if (event.recurrence) this.cancelExceptions(calendar, event.id);
    this.onChange(userId);
  }

  private cancelExceptions(calendar: UserCalendar, masterId: string): void {
    for (const other of calendar.events.values()) {
      if (other.recurringEventId === masterId && other.status !== "cancelled") {
        other.status = "cancelled";
        this.touch(other);
      }
    }
  }

  private touch(event: StoredEvent): void {
    event.updated = new Date(this.now()).toISOString();
    event.etag = quotedEtag();
    event.seq = ++this.sequence;
  }

  private materializeInstance(calendar: UserCalendar, instanceId: string): StoredEvent {
    const cut = instanceId.lastIndexOf("_");
    const master = cut > 0 ? calendar.events.get(instanceId.slice(0, cut)) : undefined;
    if (!master?.recurrence) throw new SimError(`no event ${instanceId}`);
    const instance = expandSeries(master, calendar, this.now() + 2 * 366 * DAY_MS).find(
      (i) => i.id === instanceId,
    );
    if (!instance) throw new SimError(`series ${master.id} has no instance ${instanceId}`);
    return { ...instance, attendees: instance.attendees.map((a) => ({ ...a })) };
  }
}

function normalizeTime(time: SimEventTime, calendarZone: string): SimEventTime {
  if (time.date) {
    parseDate(time.date);
    return { date: time.date };
  }
  if (!time.dateTime) throw new SimError("an event time needs date or dateTime");
  const zone = time.timeZone ?? calendarZone;
  const instant = instantOf(time, zone);
  return { dateTime: formatInZone(instant, zone), ...(time.timeZone ? { timeZone: time.timeZone } : {}) };
}

/** Instant of a dateTime, reading an offset-less value as wall time in the zone. */
export function instantOf(time: SimEventTime, calendarZone: string): number {
  if (time.date) return parseDate(time.date);
  const value = time.dateTime ?? "";
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new SimError(`invalid dateTime "${value}"`);
    return ms;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) throw new SimError(`invalid dateTime "${value}"`);
  return zonedToInstant(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
    },
    time.timeZone ?? calendarZone,
  );
}

/** Google's rules for status events, enforced so seeds cannot describe what Google would refuse. */
function validateEvent(event: StoredEvent, calendar: UserCalendar): void {
  const allDay = Boolean(event.start.date);
  if (allDay !== Boolean(event.end.date))
    throw new SimError("start and end must both be dates or both dateTimes");
  if (instantOf(event.end, calendar.timeZone) <= instantOf(event.start, calendar.timeZone)) {
    throw new SimError("the end of an event must be after its start");
  }
  if ((event.eventType === "focusTime" || event.eventType === "outOfOffice") && allDay) {
    throw new SimError(`${event.eventType} events must be timed, not all-day`);
  }
  if (event.recurrence) {
    try {
      parseRecurrence(event.recurrence, event.start.timeZone ?? calendar.timeZone);
    } catch (error) {
      throw new SimError((error as Error).message);
    }
  }
}

function zoneOf(event: StoredEvent, calendar: UserCalendar): string {
  return event.start.timeZone ?? calendar.timeZone;
}

/** Instances of a series up to the horizon, exceptions not yet applied. */
export function expandSeries(master: StoredEvent, calendar: UserCalendar, horizonMs: number): StoredEvent[] {
  const zone = zoneOf(master, calendar);
  const allDay = Boolean(master.start.date);
  const rule: RecurrenceRule = parseRecurrence(master.recurrence ?? [], zone);
  const first = instantOf(master.start, zone);
  const duration = instantOf(master.end, zone) - first;
  return expandStarts(rule, first, allDay, zone, horizonMs).map((start) => {
    const time = (ms: number): SimEventTime =>
      allDay
        ? { date: dateOnly(ms) }
        : {
            dateTime: formatInZone(ms, zone),
            ...(master.start.timeZone ? { timeZone: master.start.timeZone } : {}),
          };
    const { recurrence: _recurrence, ...rest } = master;
    return {
      ...rest,
      id: `${master.id}_${instanceSuffix(start, allDay)}`,
      start: time(start),
      end: time(start + duration),
      recurringEventId: master.id,
      originalStartTime: time(start),
    };
  });
}

/** Wall-clock day of an instant in a zone, for all-day overlap tests. */
export function dayStartIn(instantMs: number, zone: string): number {
  const wall = wallTimeIn(instantMs, zone);
  return Date.UTC(wall.year, wall.month - 1, wall.day);
}
