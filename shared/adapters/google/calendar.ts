import { calendar_v3 } from "@googleapis/calendar";
import {
  type AttendeeResponse,
  type Calendar,
  CalendarError,
  type CalendarEvent,
  type CalendarEventType,
  type CalendarSyncOptions,
  type CalendarSyncResult,
  type EventTime,
} from "../../ports/calendar.js";
import type { ChannelRef, WatchChannel, WatchRequest } from "../../ports/directory.js";
import { callAsUser, toPortError, type WorkspaceAdapterOptions } from "./delegated-call.js";
import { clientOptions } from "./endpoints.js";
import { readToSyncToken } from "./read-to-sync-token.js";
import { SCOPES } from "./scopes.js";
import { toWatchChannelFromWire, toWireWatchRequest } from "./watch-channel.js";

export type GoogleCalendarOptions = WorkspaceAdapterOptions;

const EVENT_FIELDS =
  "id,status,eventType,summary,visibility,transparency,start,end,updated,recurringEventId,originalStartTime," +
  "attendees(email,self,organizer,resource,optional,responseStatus),organizer(email,self)," +
  "focusTimeProperties(chatStatus),outOfOfficeProperties(autoDeclineMode)";
const LIST_FIELDS = `nextPageToken,nextSyncToken,timeZone,items(${EVENT_FIELDS})`;
/** Google's maximum page size for events.list. */
const MAX_EVENTS_PER_PAGE = 2500;
const PRIMARY = "primary";

/**
 * A user's primary calendar through Calendar API v3, as that user. Always single events: recurring
 * series arrive as their instances, which is what presence needs; the same flag is sent on the full
 * and on every incremental request, as Google requires.
 */
export class GoogleCalendar implements Calendar {
  private readonly calendar: calendar_v3.Calendar;

  constructor(private readonly options: GoogleCalendarOptions) {
    this.calendar = new calendar_v3.Calendar(clientOptions(options.apiRootUrl, options.timeoutMs ?? 30_000));
  }

  async syncEvents(userEmail: string, options: CalendarSyncOptions = {}): Promise<CalendarSyncResult> {
    const window = { timeMin: options.fullSyncFrom, timeMax: options.fullSyncUntil };
    if (options.syncToken === undefined) return this.listAll(userEmail, window);
    try {
      const result = await this.listAll(userEmail, { syncToken: options.syncToken });
      return { ...result, full: false };
    } catch (error) {
      if (!(error instanceof CalendarError) || error.status !== 410) throw error;
      this.options.logger?.event("googleSyncTokenInvalidated", { api: "calendar", subject: userEmail });
      const result = await this.listAll(userEmail, window);
      return { ...result, tokenInvalidated: true };
    }
  }

  async watchEvents(userEmail: string, request: WatchRequest): Promise<WatchChannel> {
    const response = await this.call(userEmail, "events.watch", (auth) =>
      this.calendar.events.watch(
        {
          calendarId: PRIMARY,
          quotaUser: userEmail,
          requestBody: toWireWatchRequest(request),
        },
        auth,
      ),
    );
    return toWatchChannelFromWire(response.data, request.channelId);
  }

  async stopChannel(userEmail: string, channel: ChannelRef): Promise<void> {
    await this.call(userEmail, "channels.stop", (auth) =>
      this.calendar.channels.stop(
        { requestBody: { id: channel.channelId, resourceId: channel.resourceId } },
        auth,
      ),
    );
  }

  private async listAll(
    userEmail: string,
    window: { syncToken?: string; timeMin?: Date | undefined; timeMax?: Date | undefined },
  ): Promise<CalendarSyncResult> {
    let timeZone: string | undefined;
    const { items: events, nextSyncToken } = await readToSyncToken(
      async (pageToken) => {
        const response = await this.call(userEmail, "events.list", (auth) =>
          this.calendar.events.list(
            {
              calendarId: PRIMARY,
              singleEvents: true,
              maxResults: MAX_EVENTS_PER_PAGE,
              syncToken: window.syncToken,
              timeMin: window.timeMin?.toISOString(),
              timeMax: window.timeMax?.toISOString(),
              pageToken,
              fields: LIST_FIELDS,
              quotaUser: userEmail,
            },
            auth,
          ),
        );
        timeZone ??= response.data.timeZone ?? undefined;
        return { ...response.data, items: (response.data.items ?? []).map(toCalendarEvent) };
      },
      () => new CalendarError("FAILED", "events.list ended without a nextSyncToken", { status: 200 }),
    );
    return { full: true, tokenInvalidated: false, events, nextSyncToken, ...(timeZone ? { timeZone } : {}) };
  }

  private async call<T>(
    userEmail: string,
    operation: string,
    run: Parameters<typeof callAsUser<T>>[2],
  ): Promise<T> {
    try {
      return await callAsUser(
        this.options,
        { api: "calendar", operation, subject: userEmail, scopes: SCOPES.calendarEvents },
        run,
      );
    } catch (error) {
      throw toPortError(
        error,
        (failure, options) =>
          new CalendarError(failure.failure, `Calendar ${operation} failed: ${failure.message}`, options),
      );
    }
  }
}

const EVENT_TYPES = new Set<CalendarEventType>([
  "default",
  "focusTime",
  "outOfOffice",
  "workingLocation",
  "birthday",
  "fromGmail",
]);
const RESPONSES = new Set<AttendeeResponse>(["needsAction", "declined", "tentative", "accepted"]);

function toEventTime(time: calendar_v3.Schema$EventDateTime | undefined): EventTime | undefined {
  if (!time) return undefined;
  return {
    date: time.date ?? undefined,
    dateTime: time.dateTime ?? undefined,
    timeZone: time.timeZone ?? undefined,
  };
}

export function toCalendarEvent(item: calendar_v3.Schema$Event): CalendarEvent {
  const eventType = (item.eventType ?? "default") as CalendarEventType;
  const status = item.status === "cancelled" || item.status === "tentative" ? item.status : "confirmed";
  return {
    id: item.id ?? "",
    status,
    eventType: EVENT_TYPES.has(eventType) ? eventType : "default",
    summary: item.summary ?? undefined,
    visibility: item.visibility ?? undefined,
    transparency: item.transparency === "transparent" ? "transparent" : "opaque",
    start: toEventTime(item.start),
    end: toEventTime(item.end),
    allDay: Boolean(item.start?.date),
    attendees: (item.attendees ?? [])
      .filter((a) => a.email)
      .map((a) => ({
        email: a.email as string,
        self: a.self === true,
        organizer: a.organizer === true,
        resource: a.resource === true,
        optional: a.optional === true,
        responseStatus: RESPONSES.has(a.responseStatus as AttendeeResponse)
          ? (a.responseStatus as AttendeeResponse)
          : "needsAction",
      })),
    organizerEmail: item.organizer?.email ?? undefined,
    organizerIsSelf: item.organizer?.self === true,
    recurringEventId: item.recurringEventId ?? undefined,
    originalStartTime: toEventTime(item.originalStartTime),
    updated: item.updated ?? undefined,
    chatStatus: item.focusTimeProperties?.chatStatus ?? undefined,
  };
}
