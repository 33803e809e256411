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

/** The primary calendar of a tenant user, found by email (undefined: not a user of the tenant). */
export type CalendarResolver = (email: string) => { userId: string; calendar: UserCalendar } | undefined;

/**
 * Per-user primary calendars and the change sequence sync tokens are cut from.
 *
 * An event with attendees exists, as on Google, in the primary calendar of every tenant user who
 * organizes or attends it: one copy each, with the same id and iCalUID. Every change goes through
 * `distribute`, which rewrites each participant's copy (a removed attendee's copy is cancelled) and
 * reports each calendar whose copy changed, so each one's sync token and watch channels see it.
 */
export class CalendarState {
  private readonly calendars = new Map<string, UserCalendar>();
  private sequence = 0;

  constructor(
    private readonly now: () => number,
    private readonly onChange: (userId: string, eventTypes: ReadonlySet<string>) => void,
    private readonly resolve: CalendarResolver,
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

  addEvent(calendar: UserCalendar, input: SeedEvent, options: { silent?: boolean } = {}): StoredEvent {
    const parsed = seedEventSchema.parse(input);
    const id = parsed.id ?? newEventId();
    if (calendar.events.has(id)) throw new SimError(`event ${id} already exists`);
    const stamp = new Date(this.now()).toISOString();
    const organizer = (parsed.organizer ?? calendar.ownerEmail).toLowerCase();
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
      attendees: withOrganizer(parsed.attendees ?? [], organizer),
      organizer,
      focusTimeProperties: parsed.focusTimeProperties,
      outOfOfficeProperties: parsed.outOfOfficeProperties,
      workingLocationProperties: parsed.workingLocationProperties,
      created: stamp,
      updated: stamp,
      etag: quotedEtag(),
      seq: 0,
    };
    validateEvent(event, calendar);
    if (!participantsOf(event).has(calendar.ownerEmail)) {
      throw new SimError(`${calendar.ownerEmail} is neither the organizer nor an attendee of event ${id}`);
    }
    this.distribute(event, new Set(), calendar, options);
    return calendar.events.get(id) as StoredEvent;
  }

  /**
   * Changes an event as its organizer, in every copy. An instance id of a series
   * (master_20240101T100000Z) that has no exception yet becomes one, as editing "this event" of a
   * series does in Google Calendar.
   */
  updateEvent(calendar: UserCalendar, eventId: string, patch: EventPatch): StoredEvent {
    const event = this.eventAsOrganizer(calendar, eventId);
    const next = cloneEvent(event);
    if (patch.start) next.start = normalizeTime(patch.start, calendar.timeZone);
    if (patch.end) next.end = normalizeTime(patch.end, calendar.timeZone);
    if (patch.attendees) {
      next.attendees = withOrganizer(
        patch.attendees.map((a) => ({ ...a, responseStatus: a.responseStatus ?? "needsAction" })),
        next.organizer,
      );
    }
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
      if (patch[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = patch[key];
    }
    if (patch.organizer !== undefined && patch.organizer.toLowerCase() !== next.organizer) {
      throw new SimError("the organizer of an event cannot be changed (the simulator has no events.move)");
    }
    if (patch.eventType !== undefined && patch.eventType !== event.eventType) {
      throw new SimError("eventType cannot be changed after creation");
    }
    validateEvent(next, calendar);
    this.distribute(next, participantsOf(event), calendar);
    return calendar.events.get(next.id) as StoredEvent;
  }

  /** One attendee's answer (accepted, declined, ...), seen in every copy of the event. */
  respond(calendar: UserCalendar, eventId: string, email: string, responseStatus: string): StoredEvent {
    if (!RESPONSES.has(responseStatus)) {
      throw new SimError(
        `responseStatus must be one of ${[...RESPONSES].join(", ")}, not "${responseStatus}"`,
      );
    }
    const event = calendar.events.get(eventId) ?? this.materializeInstance(calendar, eventId);
    if (event.status === "cancelled") throw new SimError(`event ${eventId} is cancelled`);
    const next = cloneEvent(event);
    const attendee = next.attendees.find((a) => a.email === email.toLowerCase());
    if (!attendee) throw new SimError(`${email} is not an attendee of ${eventId}`);
    attendee.responseStatus = responseStatus;
    this.distribute(next, participantsOf(event), calendar);
    return calendar.events.get(next.id) as StoredEvent;
  }

  /** The organizer cancels the event (or one instance of a series): every copy is cancelled. */
  deleteEvent(calendar: UserCalendar, eventId: string): void {
    const event = this.eventAsOrganizer(calendar, eventId);
    if (event.status === "cancelled") throw new SimError(`event ${eventId} is already deleted`);
    this.distribute({ ...cloneEvent(event), status: "cancelled" }, participantsOf(event), calendar);
  }

  /**
   * The event as stored in this calendar, which must be its organizer's (or any copy when the
   * organizer is outside the tenant: the change then stands for the external organizer's).
   */
  private eventAsOrganizer(calendar: UserCalendar, eventId: string): StoredEvent {
    const event = calendar.events.get(eventId) ?? this.materializeInstance(calendar, eventId);
    if (event.organizer !== calendar.ownerEmail && this.resolve(event.organizer)) {
      throw new SimError(
        `${calendar.ownerEmail} is not the organizer of event ${eventId}: the simulator changes a shared event as its organizer (${event.organizer}); attendees respond`,
      );
    }
    return event;
  }

  /**
   * Writes `next` into the calendar of every tenant participant, before and after the change: a
   * participant still in gets the new content, one removed gets a cancelled copy. Each written copy
   * gets its own sequence number and etag; each calendar touched is reported once.
   */
  private distribute(
    next: StoredEvent,
    participantsBefore: ReadonlySet<string>,
    source: UserCalendar,
    options: { silent?: boolean } = {},
  ): void {
    const after = participantsOf(next);
    const touched = new Map<string, Set<string>>();
    for (const email of new Set([...participantsBefore, ...after])) {
      const target = this.resolve(email);
      if (!target) continue;
      const existing = target.calendar.events.get(next.id);
      let copy: StoredEvent;
      if (after.has(email)) {
        copy = { ...cloneEvent(next), created: existing?.created ?? next.created };
      } else {
        if (!existing || existing.status === "cancelled") continue;
        copy = { ...cloneEvent(existing), status: "cancelled" };
      }
      this.touch(copy);
      if (!existing && copy.recurrence && target.calendar !== source) {
        this.copyExceptions(source, target.calendar, copy.id);
      }
      target.calendar.events.set(copy.id, copy);
      if (copy.status === "cancelled" && copy.recurrence) this.cancelExceptions(target.calendar, copy.id);
      const types = touched.get(target.userId) ?? new Set<string>();
      types.add(copy.eventType);
      touched.set(target.userId, types);
    }
    if (options.silent) return;
    for (const [userId, types] of touched) this.onChange(userId, types);
  }

  /** A new participant of a series also gets its existing exceptions (moved or cancelled instances). */
  private copyExceptions(from: UserCalendar, to: UserCalendar, masterId: string): void {
    for (const exception of from.events.values()) {
      if (exception.recurringEventId !== masterId || to.events.has(exception.id)) continue;
      const copy = cloneEvent(exception);
      this.touch(copy);
      to.events.set(copy.id, copy);
    }
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
    const startMs = cut > 0 ? instantOfSuffix(instanceId.slice(cut + 1)) : undefined;
    if (!master?.recurrence || startMs === undefined) throw new SimError(`no event ${instanceId}`);
    const instance = expandSeries(master, calendar, startMs + 1).find((i) => i.id === instanceId);
    if (!instance) throw new SimError(`series ${master.id} has no instance ${instanceId}`);
    return cloneEvent(instance);
  }
}

const RESPONSES = new Set(["needsAction", "declined", "tentative", "accepted"]);

function cloneEvent(event: StoredEvent): StoredEvent {
  return structuredClone(event);
}

/** Emails of the organizer and the (non-resource) attendees: whose calendars hold a copy. */
function participantsOf(event: StoredEvent): Set<string> {
  const emails = new Set([event.organizer]);
  for (const attendee of event.attendees) if (!attendee.resource) emails.add(attendee.email);
  return emails;
}

/**
 * Attendees as Google stores them: lower-case emails, and the organizer among them (accepted) once
 * anyone is invited.
 */
function withOrganizer(
  attendees: ReadonlyArray<Omit<SimAttendee, "responseStatus"> & { responseStatus?: string }>,
  organizer: string,
): SimAttendee[] {
  const out: SimAttendee[] = attendees.map((a) => {
    const email = a.email.toLowerCase();
    return {
      ...a,
      email,
      responseStatus: a.responseStatus ?? "needsAction",
      ...(email === organizer ? { organizer: true } : {}),
    };
  });
  if (out.length > 0 && !out.some((a) => a.email === organizer)) {
    out.unshift({ email: organizer, organizer: true, responseStatus: "accepted" });
  }
  return out;
}

/** The start instant an instance id's suffix names (20240101T100000Z or 20240101). */
function instantOfSuffix(suffix: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(suffix);
  if (!m) return undefined;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
  );
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
