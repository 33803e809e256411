import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import type { CalendarEvent, CalendarSyncResult } from "../../../shared/ports/calendar.js";
import {
  ADMIN,
  asUser,
  DOMAIN,
  header,
  hoursFromNow,
  type PushReceiver,
  rawClients,
  startPushReceiver,
  startWorkspace,
  type Workspace,
} from "./support.js";

const GRACE = `grace@${DOMAIN}`;
const KAY = `kay@${DOMAIN}`;
const OUTSIDER = "someone@elsewhere.test";

/** Attendee copies: one event in the primary calendar of each tenant user who organizes or attends it. */
describe("calendar attendee copies in the simulator", () => {
  let ws: Workspace;
  let receiver: PushReceiver;
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${ws.sim.url}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const find = (result: CalendarSyncResult, id: string): CalendarEvent | undefined =>
    result.events.find((e) => e.id === id);

  /** Ada (organizer) invites Grace and Kay over the admin API; returns the event id. */
  async function invite(extra: Record<string, unknown> = {}): Promise<string> {
    const response = await admin("POST", `/users/${ADMIN}/events`, {
      summary: "Planning",
      start: { dateTime: hoursFromNow(2) },
      end: { dateTime: hoursFromNow(3) },
      attendees: [{ email: GRACE }, { email: KAY, responseStatus: "tentative" }, { email: OUTSIDER }],
      ...extra,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  }

  beforeEach(async () => {
    ws = await startWorkspace();
    ws.sim.tenant.createUser({ primaryEmail: KAY, givenName: "Kay", familyName: "Ryu" });
    receiver = await startPushReceiver();
  });
  afterEach(async () => {
    await ws.close();
    await receiver.close();
  });

  it("puts one copy in each participant's calendar: same id and iCalUID, self and responses as each sees them", async () => {
    const id = await invite();
    const { calendar } = rawClients(ws);
    const copyOf = async (user: string) => {
      const auth = await asUser(ws, user, SCOPES.calendarEvents);
      const list = await calendar.events.list({ calendarId: "primary" }, auth);
      return list.data.items?.find((e) => e.id === id);
    };
    const [ada, grace, kay] = await Promise.all([copyOf(ADMIN), copyOf(GRACE), copyOf(KAY)]);
    expect(new Set([ada?.iCalUID, grace?.iCalUID, kay?.iCalUID]).size).toBe(1);
    expect(ada?.iCalUID).toBe(`${id}@google.com`);
    expect(ada?.organizer).toEqual({ email: ADMIN, self: true });
    expect(grace?.organizer).toEqual({ email: ADMIN });
    const selfOf = (event: typeof ada) => event?.attendees?.filter((a) => a.self).map((a) => a.email);
    expect(selfOf(ada)).toEqual([ADMIN]);
    expect(selfOf(grace)).toEqual([GRACE]);
    expect(selfOf(kay)).toEqual([KAY]);
    // The organizer is on the guest list, accepted; every copy holds the same answers.
    for (const copy of [ada, grace, kay]) {
      expect(Object.fromEntries(copy?.attendees?.map((a) => [a.email, a.responseStatus]) ?? [])).toEqual({
        [ADMIN]: "accepted",
        [GRACE]: "needsAction",
        [KAY]: "tentative",
        [OUTSIDER]: "needsAction",
      });
    }
  });

  it("a move or a shortening by the organizer changes every copy and notifies every calendar's channels", async () => {
    const id = await invite();
    const tokens = new Map<string, string>();
    for (const user of [ADMIN, GRACE, KAY]) {
      tokens.set(user, (await ws.calendar.syncEvents(user)).nextSyncToken);
      await ws.calendar.watchEvents(user, { channelId: `ch-${user}`, address: receiver.url, token: "t" });
    }
    await ws.sim.notificationsIdle();
    receiver.received.length = 0;

    const moved = await admin("PATCH", `/users/${ADMIN}/events/${id}`, {
      start: { dateTime: hoursFromNow(5) },
      end: { dateTime: hoursFromNow(5.5) },
    });
    expect(moved.status).toBe(204);
    await ws.sim.notificationsIdle();
    expect(receiver.received.map((p) => header(p, "X-Goog-Channel-ID")).sort()).toEqual(
      [`ch-${ADMIN}`, `ch-${GRACE}`, `ch-${KAY}`].sort(),
    );
    for (const user of [ADMIN, GRACE, KAY]) {
      const delta = await ws.calendar.syncEvents(user, { syncToken: tokens.get(user) });
      expect(delta.events.map((e) => e.id)).toEqual([id]);
      expect(Date.parse(delta.events[0]?.start?.dateTime ?? "")).toBe(Date.parse(hoursFromNow(5)));
      expect(Date.parse(delta.events[0]?.end?.dateTime ?? "")).toBe(Date.parse(hoursFromNow(5.5)));
    }
  });

  it("removing an attendee cancels that attendee's copy only; cancelling the event cancels every copy", async () => {
    const id = await invite();
    const before = new Map<string, string>();
    for (const user of [ADMIN, GRACE, KAY])
      before.set(user, (await ws.calendar.syncEvents(user)).nextSyncToken);
    await ws.calendar.watchEvents(KAY, { channelId: "kay", address: receiver.url, token: "t" });

    await admin("PATCH", `/users/${ADMIN}/events/${id}`, { attendees: [{ email: GRACE }] });
    await ws.sim.notificationsIdle();
    expect(receiver.received.map((p) => header(p, "X-Goog-Resource-State"))).toEqual(["sync", "exists"]);
    const kayDelta = await ws.calendar.syncEvents(KAY, { syncToken: before.get(KAY) });
    expect(kayDelta.events).toMatchObject([{ id, status: "cancelled" }]);
    expect(find(await ws.calendar.syncEvents(KAY), id)).toBeUndefined();
    const graceCopy = find(await ws.calendar.syncEvents(GRACE), id);
    expect(graceCopy?.status).toBe("confirmed");
    expect(graceCopy?.attendees.map((a) => a.email).sort()).toEqual([ADMIN, GRACE].sort());

    expect((await admin("DELETE", `/users/${ADMIN}/events/${id}`)).status).toBe(204);
    for (const user of [ADMIN, GRACE]) {
      const delta = await ws.calendar.syncEvents(user, { syncToken: before.get(user) });
      expect(delta.events).toMatchObject([{ id, status: "cancelled" }]);
    }
  });

  it("an attendee's response changes the organizer's copy and the other attendees' lists", async () => {
    const id = await invite();
    const adaToken = (await ws.calendar.syncEvents(ADMIN)).nextSyncToken;
    const kayToken = (await ws.calendar.syncEvents(KAY)).nextSyncToken;
    await ws.calendar.watchEvents(ADMIN, { channelId: "ada", address: receiver.url, token: "t" });

    const answered = await admin("POST", `/users/${GRACE}/events/${id}/response`, {
      responseStatus: "declined",
    });
    expect(answered.status).toBe(204);
    await ws.sim.notificationsIdle();
    expect(receiver.received.map((p) => header(p, "X-Goog-Resource-State"))).toEqual(["sync", "exists"]);
    for (const [user, token] of [
      [ADMIN, adaToken],
      [KAY, kayToken],
    ] as const) {
      const [copy] = (await ws.calendar.syncEvents(user, { syncToken: token })).events;
      expect(copy?.attendees.find((a) => a.email === GRACE)?.responseStatus).toBe("declined");
    }
    // An attendee answers; only the organizer changes the event.
    const refused = await admin("PATCH", `/users/${GRACE}/events/${id}`, { summary: "Mine now" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("not the organizer");
    const badAnswer = await admin("POST", `/users/${GRACE}/events/${id}/response`, {
      responseStatus: "maybe",
    });
    expect(badAnswer.status).toBe(400);
  });

  it("copies carry all-day dates, transparency, event types and a series' cancelled instance", async () => {
    const allDay = await invite({
      summary: "Offsite",
      transparency: "transparent",
      start: { date: hoursFromNow(48).slice(0, 10) },
      end: { date: hoursFromNow(72).slice(0, 10) },
    });
    const series = await invite({
      summary: "Daily",
      start: { dateTime: hoursFromNow(24) },
      end: { dateTime: hoursFromNow(24.5) },
      recurrence: ["RRULE:FREQ=DAILY;COUNT=4"],
    });
    const graceToken = (await ws.calendar.syncEvents(GRACE)).nextSyncToken;
    const second = `${series}_${hoursFromNow(48).replace(/[-:]/g, "")}`;
    expect((await admin("DELETE", `/users/${ADMIN}/events/${second}`)).status).toBe(204);

    const full = await ws.calendar.syncEvents(GRACE);
    expect(find(full, allDay)).toMatchObject({
      allDay: true,
      transparency: "transparent",
      eventType: "default",
      start: { date: hoursFromNow(48).slice(0, 10) },
    });
    const instances = full.events.filter((e) => e.recurringEventId === series).map((e) => e.id);
    expect(instances).toHaveLength(3);
    expect(instances).not.toContain(second);
    const delta = await ws.calendar.syncEvents(GRACE, { syncToken: graceToken });
    expect(delta.events).toMatchObject([{ id: second, status: "cancelled", recurringEventId: series }]);

    // Kay is invited later: the series reaches her with the instance already cancelled.
    await admin("PATCH", `/users/${ADMIN}/events/${series}`, {
      attendees: [{ email: GRACE }, { email: KAY }, { email: `linus@${DOMAIN}` }],
    });
    const kay = await ws.calendar.syncEvents(KAY);
    expect(kay.events.filter((e) => e.recurringEventId === series).map((e) => e.id)).toEqual(instances);
  });

  it("status events of one user stay in that user's calendar", async () => {
    ws.sim.tenant.addEvent(GRACE, {
      id: "ooo42",
      eventType: "outOfOffice",
      start: { dateTime: hoursFromNow(3) },
      end: { dateTime: hoursFromNow(9) },
    });
    expect(find(await ws.calendar.syncEvents(GRACE), "ooo42")?.eventType).toBe("outOfOffice");
    expect(find(await ws.calendar.syncEvents(ADMIN), "ooo42")).toBeUndefined();
  });
});
