import type {
  ChannelRef,
  WatchChannel,
  WatchRequest,
  WorkspaceErrorOptions,
  WorkspaceFailure,
} from "./directory.js";
import { WorkspaceError } from "./directory.js";

export type CalendarEventType =
  | "default"
  | "focusTime"
  | "outOfOffice"
  | "workingLocation"
  | "birthday"
  | "fromGmail";

export type AttendeeResponse = "needsAction" | "declined" | "tentative" | "accepted";

/** An all-day boundary carries `date` (yyyy-mm-dd, end exclusive); a timed one carries `dateTime`. */
export interface EventTime {
  date?: string;
  /** RFC 3339 with offset. */
  dateTime?: string;
  /** IANA zone the event was created in, when Google says. */
  timeZone?: string;
}

export interface EventAttendee {
  email: string;
  /** This entry is the owner of the calendar the event was read from. */
  self: boolean;
  organizer: boolean;
  resource: boolean;
  optional: boolean;
  responseStatus: AttendeeResponse;
}

/**
 * One event (or one instance of a series, since the adapter asks for single events). A cancelled
 * event from an incremental sync may carry only id, status and the recurrence fields.
 */
export interface CalendarEvent {
  id: string;
  status: "confirmed" | "tentative" | "cancelled";
  eventType: CalendarEventType;
  /** Private events' titles are never logged; the field is here for the owner's own use. */
  summary?: string;
  visibility?: string;
  /** opaque = busy (Google's default), transparent = free. */
  transparency: "opaque" | "transparent";
  start?: EventTime;
  end?: EventTime;
  allDay: boolean;
  attendees: EventAttendee[];
  organizerEmail?: string;
  organizerIsSelf: boolean;
  recurringEventId?: string;
  originalStartTime?: EventTime;
  updated?: string;
  /** focusTime / outOfOffice chat status, e.g. doNotDisturb. */
  chatStatus?: string;
}

export interface CalendarSyncResult {
  /**
   * true: `events` is the whole calendar and replaces what the caller stored (first sync, or the
   * token was refused with 410 GONE). false: `events` are the changes since the token, deletions
   * included as status "cancelled".
   */
  full: boolean;
  /** The caller's token was invalidated by Google (410); its store must be wiped. */
  tokenInvalidated: boolean;
  events: CalendarEvent[];
  nextSyncToken: string;
  /** The calendar's time zone (events.list `timeZone`), in which all-day dates are read. */
  timeZone?: string;
}

export interface CalendarSyncOptions {
  syncToken?: string;
  /** Lower bound for a full sync only (Google refuses timeMin together with a sync token). */
  fullSyncFrom?: Date;
  /** Upper bound for a full sync only (timeMax; likewise never sent with a sync token). */
  fullSyncUntil?: Date;
}

/** A user's primary calendar, read as that user (domain-wide delegation). */
export interface Calendar {
  syncEvents(userEmail: string, options?: CalendarSyncOptions): Promise<CalendarSyncResult>;
  watchEvents(userEmail: string, request: WatchRequest): Promise<WatchChannel>;
  stopChannel(userEmail: string, channel: ChannelRef): Promise<void>;
}

export class CalendarError extends WorkspaceError<`CALENDAR_${WorkspaceFailure}`> {
  constructor(failure: WorkspaceFailure, message: string, options: WorkspaceErrorOptions = {}) {
    super(`CALENDAR_${failure}`, failure, message, options);
  }
}
