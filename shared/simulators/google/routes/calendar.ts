import { requireScope } from "../auth-state.js";
import { expandSeries, instantOf, type StoredEvent, type UserCalendar } from "../calendar-state.js";
import type { ChannelRequest } from "../channels.js";
import type { SimUser } from "../directory-state.js";
import {
  authenticated,
  decodeToken,
  encodeToken,
  jsonBody,
  ok,
  query,
  queryBool,
  queryInt,
  type Route,
  type RouteContext,
  type SimRequest,
} from "../http-kit.js";
import { apiError } from "../wire.js";

const READ_SCOPES = [
  "https://www.googleapis.com/auth/calendar",
  "https://www.googleapis.com/auth/calendar.readonly",
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.events.readonly",
];
/** Google's documented default channel lifetime for Calendar. */
const CALENDAR_DEFAULT_TTL_SECONDS = 604_800;
/**
 * With singleEvents and no timeMax, series are expanded this far past timeMin (or now): Google
 * documents no bound, and an unbounded series needs one. With timeMax, expansion runs to it.
 */
const EXPANSION_HORIZON_MS = 366 * 86_400_000;
/** events.list query parameters (Google's reference), those the simulator implements... */
const LIST_PARAMS = [
  "alwaysIncludeEmail",
  "eventTypes",
  "iCalUID",
  "maxAttendees",
  "maxResults",
  "orderBy",
  "pageToken",
  "showDeleted",
  "showHiddenInvitations",
  "singleEvents",
  "syncToken",
  "timeMax",
  "timeMin",
  "updatedMin",
];
/** ...and those it refuses as not implemented. */
const LIST_PARAMS_REFUSED = ["privateExtendedProperty", "q", "sharedExtendedProperty", "timeZone"];
const EVENT_TYPES = new Set([
  "birthday",
  "default",
  "focusTime",
  "fromGmail",
  "outOfOffice",
  "workingLocation",
]);

/** The eventTypes a request names (repeatable), each one Google knows; undefined: all. */
function eventTypesOf(request: SimRequest): Set<string> | undefined {
  const types = request.url.searchParams.getAll("eventTypes");
  for (const type of types) {
    if (!EVENT_TYPES.has(type)) {
      throw apiError(400, "invalidParameter", `Invalid value for eventTypes: ${type}`, {
        parameter: "eventTypes",
      });
    }
  }
  return types.length > 0 ? new Set(types) : undefined;
}

/** events.list parameters Google refuses together with a syncToken. */
const NOT_WITH_SYNC_TOKEN = [
  "iCalUID",
  "orderBy",
  "privateExtendedProperty",
  "q",
  "sharedExtendedProperty",
  "timeMin",
  "timeMax",
  "updatedMin",
];

interface SyncCursor {
  u: string;
  g: number;
  s: number;
  se: boolean;
}

interface PageCursor {
  o: number;
  /** Sequence at the first page: becomes the nextSyncToken. */
  snap: number;
  /** For incremental listings: the sequence of the sync token. */
  since?: number;
}

/** The user whose calendar `calendarId` names, as seen by the token's subject (own calendar only). */
function ownCalendar(request: SimRequest, context: RouteContext): { user: SimUser; calendar: UserCalendar } {
  const token = authenticated(request, context);
  requireScope(token, READ_SCOPES);
  const user = token.subject ? context.tenant.directory.findActive(token.subject) : undefined;
  const calendarId = (request.params.calendarId ?? "").toLowerCase();
  if (!user || (calendarId !== "primary" && calendarId !== user.primaryEmail)) {
    throw apiError(404, "notFound", "Not Found");
  }
  return { user, calendar: context.tenant.calendarOf(user) };
}

function cancelledStub(event: StoredEvent): Record<string, unknown> {
  return {
    kind: "calendar#event",
    etag: event.etag,
    id: event.id,
    status: "cancelled",
    ...(event.recurringEventId
      ? { recurringEventId: event.recurringEventId, originalStartTime: event.originalStartTime }
      : {}),
  };
}

function eventResource(
  event: StoredEvent,
  calendar: UserCalendar,
  maxAttendees = Number.POSITIVE_INFINITY,
): Record<string, unknown> {
  if (event.status === "cancelled") return cancelledStub(event);
  // Over maxAttendees, Google keeps only the calendar's own entry and says attendees were omitted.
  const omitted = event.attendees.length > maxAttendees;
  const attendees = omitted
    ? event.attendees.filter((a) => a.email === calendar.ownerEmail)
    : event.attendees;
  const owner = calendar.ownerEmail;
  const organizer = { email: event.organizer, ...(event.organizer === owner ? { self: true } : {}) };
  return {
    kind: "calendar#event",
    etag: event.etag,
    id: event.id,
    status: event.status,
    created: event.created,
    updated: event.updated,
    ...(event.summary === undefined ? {} : { summary: event.summary }),
    ...(event.description === undefined ? {} : { description: event.description }),
    creator: organizer,
    organizer,
    start: event.start,
    end: event.end,
    ...(event.recurrence ? { recurrence: event.recurrence } : {}),
    ...(event.recurringEventId
      ? { recurringEventId: event.recurringEventId, originalStartTime: event.originalStartTime }
      : {}),
    ...(event.transparency ? { transparency: event.transparency } : {}),
    ...(event.visibility ? { visibility: event.visibility } : {}),
    iCalUID: iCalUidOf(event),
    sequence: 0,
    ...(omitted ? { attendeesOmitted: true } : {}),
    ...(attendees.length > 0
      ? {
          attendees: attendees.map((a) => ({
            email: a.email,
            ...(a.displayName ? { displayName: a.displayName } : {}),
            ...(a.organizer || a.email === event.organizer ? { organizer: true } : {}),
            ...(a.email === owner ? { self: true } : {}),
            ...(a.resource ? { resource: true } : {}),
            ...(a.optional ? { optional: true } : {}),
            responseStatus: a.responseStatus,
          })),
        }
      : {}),
    reminders: { useDefault: true },
    eventType: event.eventType,
    ...(event.focusTimeProperties ? { focusTimeProperties: event.focusTimeProperties } : {}),
    ...(event.outOfOfficeProperties ? { outOfOfficeProperties: event.outOfOfficeProperties } : {}),
    ...(event.workingLocationProperties
      ? { workingLocationProperties: event.workingLocationProperties }
      : {}),
  };
}

interface Listing {
  singleEvents: boolean;
  showDeleted: boolean;
  /** Incremental: only what changed after this sequence (deletions included). */
  since?: number;
  timeMinMs?: number;
  timeMaxMs?: number;
  /** updatedMin: only what changed since then, deletions included. */
  updatedMinMs?: number;
  eventTypes?: Set<string>;
  iCalUID?: string;
  orderBy?: "startTime" | "updated";
  nowMs: number;
}

function overlaps(event: StoredEvent, calendar: UserCalendar, listing: Listing): boolean {
  if (listing.since !== undefined) return true;
  const start = instantOf(event.start, calendar.timeZone);
  const end = instantOf(event.end, calendar.timeZone);
  if (listing.timeMinMs !== undefined && end <= listing.timeMinMs) return false;
  if (listing.timeMaxMs !== undefined && start >= listing.timeMaxMs) return false;
  return true;
}

/** What events.list returns for a calendar, before paging. */
function listEvents(calendar: UserCalendar, listing: Listing): StoredEvent[] {
  const changed = (e: StoredEvent) =>
    (listing.since === undefined || e.seq > listing.since) &&
    (listing.updatedMinMs === undefined || Date.parse(e.updated) >= listing.updatedMinMs);
  const visible = (e: StoredEvent) =>
    e.status !== "cancelled" ||
    listing.showDeleted ||
    listing.since !== undefined ||
    listing.updatedMinMs !== undefined;
  const horizon = listing.timeMaxMs ?? Math.max(listing.nowMs, listing.timeMinMs ?? 0) + EXPANSION_HORIZON_MS;
  const out = new Map<string, StoredEvent>();
  const exceptionsOf = new Map<string, Map<string, StoredEvent>>();
  for (const event of calendar.events.values()) {
    if (!event.recurringEventId) continue;
    const byId = exceptionsOf.get(event.recurringEventId) ?? new Map<string, StoredEvent>();
    byId.set(event.id, event);
    exceptionsOf.set(event.recurringEventId, byId);
  }
  for (const event of calendar.events.values()) {
    if (event.recurringEventId) {
      // An exception stands for itself when it changed (or in a full listing of single events).
      if (listing.singleEvents && listing.since === undefined) continue;
      if (changed(event) && visible(event) && overlaps(event, calendar, listing)) out.set(event.id, event);
      continue;
    }
    if (event.recurrence && listing.singleEvents) {
      const exceptions = exceptionsOf.get(event.id) ?? new Map<string, StoredEvent>();
      const masterChanged = changed(event);
      for (const instance of expandSeries(event, calendar, horizon)) {
        const exception = exceptions.get(instance.id);
        const effective = exception ?? instance;
        if (!masterChanged && !(exception && changed(exception))) continue;
        const shown =
          event.status === "cancelled" ? { ...effective, status: "cancelled" as const } : effective;
        if (visible(shown) && overlaps(shown, calendar, listing)) out.set(shown.id, shown);
      }
      continue;
    }
    if (changed(event) && visible(event) && overlaps(event, calendar, listing)) out.set(event.id, event);
  }
  const filtered = [...out.values()].filter(
    (e) =>
      (!listing.eventTypes || e.status === "cancelled" || listing.eventTypes.has(e.eventType)) &&
      (!listing.iCalUID || iCalUidOf(e) === listing.iCalUID),
  );
  const byId = (a: StoredEvent, b: StoredEvent) => (a.id < b.id ? -1 : 1);
  if (listing.orderBy === "updated") {
    return filtered.sort((a, b) => a.updated.localeCompare(b.updated) || byId(a, b));
  }
  return filtered.sort(
    (a, b) => instantOf(a.start, calendar.timeZone) - instantOf(b.start, calendar.timeZone) || byId(a, b),
  );
}

function iCalUidOf(event: StoredEvent): string {
  return `${event.recurringEventId ?? event.id}@google.com`;
}

function parseTime(request: SimRequest, name: string): number | undefined {
  const value = query(request, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw apiError(400, "badRequest", `Bad Request: ${name} must be an RFC3339 timestamp with offset`);
  }
  return ms;
}

export const calendarRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/calendar\/v3\/calendars\/(?<calendarId>[^/]+)\/events$/,
    operation: "calendar.events.list",
    params: { implemented: LIST_PARAMS, refused: LIST_PARAMS_REFUSED },
    response: "calendarEvents",
    handle(request, context) {
      const { user, calendar } = ownCalendar(request, context);
      const singleEvents = queryBool(request, "singleEvents") === true;
      const maxResults = Math.min(queryInt(request, "maxResults", 1, 1_000_000, 250), 2500);
      const maxAttendees = queryInt(request, "maxAttendees", 1, 1_000_000, Number.MAX_SAFE_INTEGER);
      const syncToken = query(request, "syncToken");
      const pageToken = query(request, "pageToken");
      const showDeletedParam = queryBool(request, "showDeleted");
      const eventTypes = eventTypesOf(request);
      const orderBy = query(request, "orderBy");
      if (orderBy !== undefined && orderBy !== "startTime" && orderBy !== "updated") {
        throw apiError(400, "invalidParameter", `Invalid value for orderBy: ${orderBy}`, {
          parameter: "orderBy",
        });
      }
      if (orderBy === "startTime" && !singleEvents) {
        throw apiError(
          400,
          "badRequest",
          "The requested ordering is not available for the particular query.",
        );
      }
      const timeMinMs = parseTime(request, "timeMin");
      const timeMaxMs = parseTime(request, "timeMax");
      if (timeMinMs !== undefined && timeMaxMs !== undefined && timeMaxMs <= timeMinMs) {
        throw apiError(400, "timeRangeEmpty", "The specified time range is empty.", {
          domain: "calendar",
          parameter: "timeMax",
        });
      }

      let since: number | undefined;
      if (syncToken !== undefined) {
        const bad = NOT_WITH_SYNC_TOKEN.find((name) => request.url.searchParams.has(name));
        if (bad) throw apiError(400, "invalid", `Sync token cannot be used together with ${bad}.`);
        if (showDeletedParam === false) {
          throw apiError(400, "invalid", "Sync token cannot be used with showDeleted=false.");
        }
        const cursor = decodeToken<SyncCursor>(syncToken);
        if (!cursor || typeof cursor.s !== "number")
          throw apiError(400, "invalid", "Invalid sync token value.");
        if (cursor.u !== user.id || cursor.g !== calendar.generation) {
          throw apiError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.", {
            domain: "calendar",
          });
        }
        if (cursor.se !== singleEvents) {
          throw apiError(400, "invalid", "The sync token was issued for different query parameters.");
        }
        since = cursor.s;
      }

      let page: PageCursor = { o: 0, snap: context.tenant.calendars.currentSequence, since };
      if (pageToken !== undefined) {
        const cursor = decodeToken<PageCursor>(pageToken);
        if (!cursor || cursor.since !== since) throw apiError(400, "invalid", "Invalid page token value.");
        page = cursor;
      }

      const items = listEvents(calendar, {
        singleEvents,
        showDeleted: showDeletedParam === true,
        since,
        timeMinMs,
        timeMaxMs,
        updatedMinMs: parseTime(request, "updatedMin"),
        eventTypes,
        iCalUID: query(request, "iCalUID"),
        orderBy,
        nowMs: context.tenant.clock.now(),
      });
      const slice = items.slice(page.o, page.o + maxResults);
      const more = page.o + maxResults < items.length;
      return ok(request, {
        kind: "calendar#events",
        etag: `"${page.snap}"`,
        summary: user.primaryEmail,
        updated: new Date(context.tenant.clock.now()).toISOString(),
        timeZone: calendar.timeZone,
        accessRole: "owner",
        defaultReminders: [{ method: "popup", minutes: 10 }],
        ...(more
          ? { nextPageToken: encodeToken({ ...page, o: page.o + maxResults } satisfies PageCursor) }
          : {
              nextSyncToken: encodeToken({
                u: user.id,
                g: calendar.generation,
                s: page.snap,
                se: singleEvents,
              } satisfies SyncCursor),
            }),
        items: slice.map((event) => eventResource(event, calendar, maxAttendees)),
      });
    },
  },
  {
    method: "POST",
    path: /^\/calendar\/v3\/calendars\/(?<calendarId>[^/]+)\/events\/watch$/,
    operation: "calendar.events.watch",
    // Of the list parameters events.watch also takes, only eventTypes (which changes notify) is implemented.
    params: {
      implemented: ["eventTypes"],
      refused: [...LIST_PARAMS, ...LIST_PARAMS_REFUSED].filter((name) => name !== "eventTypes"),
    },
    response: "calendarChannel",
    handle(request, context) {
      const { user } = ownCalendar(request, context);
      const eventTypes = eventTypesOf(request);
      const channel = context.tenant.channels.open("calendar", jsonBody<ChannelRequest>(request), {
        resourceUri: `${context.baseUrl}/calendar/v3/calendars/${encodeURIComponent(user.primaryEmail)}/events?alt=json`,
        userId: user.id,
        eventTypes,
        defaultTtlSeconds: CALENDAR_DEFAULT_TTL_SECONDS,
      });
      return ok(request, {
        kind: "api#channel",
        id: channel.id,
        resourceId: channel.resourceId,
        resourceUri: channel.resourceUri,
        ...(channel.token === undefined ? {} : { token: channel.token }),
        expiration: String(channel.expirationMs),
      });
    },
  },
  {
    method: "POST",
    path: /^\/calendar\/v3\/channels\/stop$/,
    operation: "calendar.channels.stop",
    params: { implemented: [] },
    handle(request, context) {
      requireScope(authenticated(request, context), READ_SCOPES);
      const body = jsonBody<{ id?: string; resourceId?: string }>(request);
      context.tenant.channels.stop(body.id, body.resourceId);
      return { status: 204 };
    },
  },
];
