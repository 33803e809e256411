import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CalendarEvent } from "../../../shared/ports/calendar.js";
import type { SeedEvent } from "../../../shared/simulators/google/seed.js";
import { ADMIN, baseSeed, DOMAIN, hoursFromNow, startWorkspace, type Workspace } from "./support.js";

const GRACE = `grace@${DOMAIN}`;

function graceEvents(): SeedEvent[] {
  return [
    {
      id: "meeting1",
      summary: "Pipeline review",
      start: { dateTime: hoursFromNow(2) },
      end: { dateTime: hoursFromNow(3) },
      attendees: [
        { email: ADMIN, organizer: true, responseStatus: "accepted" },
        { email: GRACE, responseStatus: "declined" },
      ],
      organizer: ADMIN,
    },
    {
      id: "focus1",
      eventType: "focusTime",
      start: { dateTime: hoursFromNow(5) },
      end: { dateTime: hoursFromNow(6) },
      focusTimeProperties: { chatStatus: "doNotDisturb" },
    },
    {
      id: "ooo1",
      eventType: "outOfOffice",
      start: { dateTime: hoursFromNow(30) },
      end: { dateTime: hoursFromNow(40) },
    },
    {
      id: "holiday1",
      summary: "Holiday",
      transparency: "transparent",
      start: { date: hoursFromNow(72).slice(0, 10) },
      end: { date: hoursFromNow(96).slice(0, 10) },
    },
    {
      id: "daily1",
      summary: "Stand-up",
      visibility: "private",
      start: { dateTime: hoursFromNow(24).slice(0, 19), timeZone: "Europe/Berlin" },
      end: { dateTime: hoursFromNow(24.25).slice(0, 19), timeZone: "Europe/Berlin" },
      recurrence: ["RRULE:FREQ=DAILY;COUNT=3"],
    },
  ];
}

function byId(events: CalendarEvent[]): Map<string, CalendarEvent> {
  return new Map(events.map((e) => [e.id, e]));
}

describe("GoogleCalendar against the simulator", () => {
  let ws: Workspace;
  beforeEach(async () => {
    const seed = baseSeed();
    const grace = seed.users?.find((u) => u.primaryEmail === GRACE);
    if (grace) grace.events = graceEvents();
    ws = await startWorkspace(seed);
  });
  afterEach(() => ws.close());

  it("full sync returns single events of every type with attendees, transparency and time zones", async () => {
    const result = await ws.calendar.syncEvents(GRACE);
    expect(result).toMatchObject({ full: true, tokenInvalidated: false });
    expect(result.nextSyncToken).toBeTruthy();
    const events = byId(result.events);
    expect(events.get("meeting1")).toMatchObject({
      eventType: "default",
      status: "confirmed",
      transparency: "opaque",
      allDay: false,
      organizerEmail: ADMIN,
      organizerIsSelf: false,
    });
    expect(events.get("meeting1")?.attendees.find((a) => a.self)).toMatchObject({
      email: GRACE,
      responseStatus: "declined",
    });
    expect(events.get("focus1")).toMatchObject({ eventType: "focusTime", chatStatus: "doNotDisturb" });
    expect(events.get("ooo1")?.eventType).toBe("outOfOffice");
    expect(events.get("holiday1")).toMatchObject({ allDay: true, transparency: "transparent" });
    expect(events.get("holiday1")?.start?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const instances = result.events.filter((e) => e.recurringEventId === "daily1");
    expect(instances).toHaveLength(3);
    expect(events.has("daily1")).toBe(false);
    expect(instances[0]?.id).toMatch(/^daily1_\d{8}T\d{6}Z$/);
    expect(instances[0]?.start?.timeZone).toBe("Europe/Berlin");
    expect(instances[0]?.start?.dateTime).toMatch(/\+0[12]:00$/);
    expect(instances[0]?.originalStartTime?.dateTime).toBe(instances[0]?.start?.dateTime);
    expect(ws.sim.requests.filter((r) => r.operation === "calendar.events.list")[0]?.quotaUser).toBe(GRACE);
  });

  it("incremental sync returns only changes, deletions included", async () => {
    const first = await ws.calendar.syncEvents(GRACE);
    const unchanged = await ws.calendar.syncEvents(GRACE, { syncToken: first.nextSyncToken });
    expect(unchanged).toMatchObject({ full: false, events: [] });

    // Ada organizes meeting1: her move reaches Grace's copy.
    ws.sim.tenant.updateEvent(ADMIN, "meeting1", {
      start: { dateTime: hoursFromNow(4) },
      end: { dateTime: hoursFromNow(5) },
    });
    ws.sim.tenant.deleteEvent(GRACE, "focus1");
    const instance = first.events.find((e) => e.recurringEventId === "daily1");
    ws.sim.tenant.deleteEvent(GRACE, instance?.id ?? "");
    const added = ws.sim.tenant.addEvent(GRACE, {
      summary: "New",
      start: { dateTime: hoursFromNow(8) },
      end: { dateTime: hoursFromNow(9) },
    });

    const delta = await ws.calendar.syncEvents(GRACE, { syncToken: unchanged.nextSyncToken });
    expect(delta.full).toBe(false);
    const events = byId(delta.events);
    expect([...events.keys()].sort()).toEqual(["focus1", "meeting1", instance?.id, added.id].sort());
    expect(Date.parse(events.get("meeting1")?.start?.dateTime ?? "")).toBe(Date.parse(hoursFromNow(4)));
    expect(events.get("focus1")?.status).toBe("cancelled");
    expect(events.get(instance?.id ?? "")).toMatchObject({ status: "cancelled", recurringEventId: "daily1" });
  });

  it("a 410 on the sync token turns into a full sync the caller must replace its store with", async () => {
    const first = await ws.calendar.syncEvents(GRACE);
    ws.sim.tenant.invalidateCalendarSyncTokens(GRACE);
    const result = await ws.calendar.syncEvents(GRACE, { syncToken: first.nextSyncToken });
    expect(result).toMatchObject({ full: true, tokenInvalidated: true });
    expect(result.events.map((e) => e.id).sort()).toEqual(first.events.map((e) => e.id).sort());
    const statuses = ws.sim.requests
      .filter((r) => r.operation === "calendar.events.list")
      .map((r) => r.status);
    expect(statuses).toEqual([200, 410, 200]);
  });

  it("a full read of a window keeps to it, the 410 fallback too, and says the calendar's time zone", async () => {
    const from = new Date(Date.parse(hoursFromNow(1)));
    const until = new Date(Date.parse(hoursFromNow(10)));
    const windowed = await ws.calendar.syncEvents(GRACE, { fullSyncFrom: from, fullSyncUntil: until });
    expect(windowed.timeZone).toBe(ws.sim.tenant.directory.require(GRACE).timeZone);
    expect(windowed.events.map((e) => e.id).sort()).toEqual(["focus1", "meeting1"]);
    // Incremental reads send neither bound (Google refuses them with a token).
    ws.sim.tenant.invalidateCalendarSyncTokens(GRACE);
    const recovered = await ws.calendar.syncEvents(GRACE, {
      syncToken: windowed.nextSyncToken,
      fullSyncFrom: from,
      fullSyncUntil: until,
    });
    expect(recovered).toMatchObject({ full: true, tokenInvalidated: true });
    expect(recovered.events.map((e) => e.id).sort()).toEqual(["focus1", "meeting1"]);
  });

  it("pages with the same parameters and ends with a sync token", async () => {
    for (let i = 0; i < 30; i++) {
      ws.sim.tenant.addEvent(GRACE, {
        start: { dateTime: hoursFromNow(100 + i) },
        end: { dateTime: hoursFromNow(101 + i) },
      });
    }
    // The adapter asks 2500 a page; check the simulator's paging directly with a small page.
    const token = await ws.delegation.accessToken(GRACE, [
      "https://www.googleapis.com/auth/calendar.events.readonly",
    ]);
    const get = (query: string) =>
      fetch(`${ws.sim.url}/calendar/v3/calendars/primary/events?singleEvents=true&maxResults=20${query}`, {
        headers: { authorization: `Bearer ${token}` },
      }).then(
        (r) => r.json() as Promise<{ items: unknown[]; nextPageToken?: string; nextSyncToken?: string }>,
      );
    const page1 = await get("");
    expect(page1.items).toHaveLength(20);
    expect(page1.nextSyncToken).toBeUndefined();
    const page2 = await get(`&pageToken=${page1.nextPageToken}`);
    expect(page2.nextPageToken).toBeUndefined();
    expect(page2.nextSyncToken).toBeTruthy();
    expect(page1.items.length + page2.items.length).toBe(30 + 7);
    const refused = await fetch(
      `${ws.sim.url}/calendar/v3/calendars/primary/events?singleEvents=true&timeMin=${encodeURIComponent(hoursFromNow(0))}&syncToken=${page2.nextSyncToken}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(refused.status).toBe(400);
  });

  it("reads only the user's own calendar: the organizer's copy of a shared event, not the attendee's own events", async () => {
    const result = await ws.calendar.syncEvents(ADMIN);
    expect(result.events.map((e) => e.id)).toEqual(["meeting1"]);
    expect(result.events[0]).toMatchObject({ organizerEmail: ADMIN, organizerIsSelf: true });
  });
});
