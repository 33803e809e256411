/**
 * One event as it appears in a user's own calendar (the attendee's copy), in the shape of the
 * Calendar API v3 `Event` (events.list with singleEvents=true), reduced to what presence reads.
 * Every field is optional and may be null, as Google sends them: a cancelled instance may carry
 * only its id. The Calendar port's flattened form (`organizerIsSelf`) is accepted too.
 */
export interface CalendarEventCopy {
  id?: string | null;
  status?: string | null;
  /** default | outOfOffice | focusTime | workingLocation | birthday | fromGmail; absent = default. */
  eventType?: string | null;
  /** Never logged; shown by explain for events that are not private or confidential. */
  summary?: string | null;
  /** default | public | private | confidential */
  visibility?: string | null;
  /** opaque (busy) | transparent (free); absent = opaque. */
  transparency?: string | null;
  start?: EventTimeCopy | null;
  end?: EventTimeCopy | null;
  attendees?: readonly AttendeeCopy[] | null;
  organizer?: { self?: boolean | null } | null;
  organizerIsSelf?: boolean | null;
  recurringEventId?: string | null;
}

export interface EventTimeCopy {
  /** All-day: yyyy-mm-dd, in the calendar's time zone; the end date is exclusive. */
  date?: string | null;
  /** Timed: RFC 3339, normally with an offset. */
  dateTime?: string | null;
  /** The zone a dateTime without offset is read in. */
  timeZone?: string | null;
}

export interface AttendeeCopy {
  /** This entry is the owner of the calendar the copy was read from. */
  self?: boolean | null;
  organizer?: boolean | null;
  /** needsAction | declined | tentative | accepted; absent = needsAction. */
  responseStatus?: string | null;
}

/** Private and confidential events are never shown or described by their title. */
export function isPrivateEvent(event: CalendarEventCopy): boolean {
  return event.visibility === "private" || event.visibility === "confidential";
}
