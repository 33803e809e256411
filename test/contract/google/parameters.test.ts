import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import {
  ADMIN,
  asUser,
  baseSeed,
  DOMAIN,
  failureOf,
  hoursFromNow,
  rawClients,
  startWorkspace,
  type Workspace,
} from "./support.js";

const GRACE = `grace@${DOMAIN}`;
const DAY = 86_400_000;

interface WireError {
  error: { code: number; message: string; errors: Array<{ reason: string; location?: string }> };
}

/** Every documented parameter is implemented or refused by name; nothing is silently ignored. */
describe("the simulator's query parameters, driven by the real client libraries", () => {
  let ws: Workspace;
  let clients: ReturnType<typeof rawClients>;
  let grace: { headers: { Authorization: string } };
  let ada: { headers: { Authorization: string } };

  beforeAll(async () => {
    const seed = baseSeed();
    const graceSeed = seed.users?.find((u) => u.primaryEmail === GRACE);
    if (graceSeed) {
      graceSeed.events = [
        {
          id: "meeting1",
          summary: "Review",
          start: { dateTime: hoursFromNow(2) },
          end: { dateTime: hoursFromNow(3) },
          attendees: [{ email: ADMIN }, { email: "a@elsewhere.test" }, { email: "b@elsewhere.test" }],
        },
        {
          id: "weekly1",
          summary: "Weekly, no end",
          start: { dateTime: hoursFromNow(1) },
          end: { dateTime: hoursFromNow(2) },
          recurrence: ["RRULE:FREQ=WEEKLY"],
        },
      ];
    }
    ws = await startWorkspace(seed);
    clients = rawClients(ws);
    grace = await asUser(ws, GRACE, SCOPES.calendarEvents);
    ada = await asUser(ws, ADMIN, SCOPES.directoryUsers);
  });
  afterAll(() => ws.close());

  const listEvents = (params: Record<string, unknown>) =>
    clients.calendar.events.list({ calendarId: "primary", ...params }, grace);

  describe("fields", () => {
    it("refuses a field the resource does not have, naming it", async () => {
      const failure = await failureOf(listEvents({ fields: "items(id,attendees(email,mood))" }));
      expect(failure.status).toBe(400);
      const body = failure.data as WireError;
      expect(body.error.message).toBe("Invalid field selection mood");
      expect(body.error.errors[0]).toMatchObject({ reason: "invalidParameter", location: "fields" });
      const users = await failureOf(
        clients.admin.users.list({ customer: "my_customer", fields: "users(primaryEmail,shoeSize)" }, ada),
      );
      expect((users.data as WireError).error.message).toBe("Invalid field selection shoeSize");
      // A leaf has no sub-fields.
      const leaf = await failureOf(listEvents({ fields: "items(summary(text))" }));
      expect((leaf.data as WireError).error.message).toBe("Invalid field selection text");
    });

    it("applies a valid selection, wildcards included", async () => {
      const { data } = await listEvents({ fields: "nextSyncToken,items(id,attendees(email,self))" });
      expect(Object.keys(data).sort()).toEqual(["items", "nextSyncToken"]);
      const meeting = data.items?.find((e) => e.id === "meeting1");
      expect(Object.keys(meeting ?? {}).sort()).toEqual(["attendees", "id"]);
      expect(meeting?.attendees?.find((a) => a.self)).toEqual({ email: GRACE, self: true });
      const all = await listEvents({ fields: "items(*)" });
      expect(all.data.items?.find((e) => e.id === "meeting1")?.summary).toBe("Review");
    });
  });

  describe("events.list", () => {
    it("refuses the documented parameters it does not implement, and unknown ones, by name", async () => {
      for (const [name, value] of [
        ["q", "Review"],
        ["timeZone", "Europe/Berlin"],
        ["privateExtendedProperty", "a=b"],
      ] as const) {
        const failure = await failureOf(listEvents({ [name]: value }));
        expect(failure.status).toBe(400);
        const body = failure.data as WireError;
        expect(body.error.message).toBe(`${name} is not implemented by the simulator`);
        expect(body.error.errors[0]?.location).toBe(name);
      }
      const badType = await failureOf(listEvents({ eventTypes: ["meeting"] }));
      expect((badType.data as WireError).error.errors[0]?.location).toBe("eventTypes");
      const unknown = await failureOf(listEvents({ colour: "red" }));
      expect(unknown.status).toBe(400);
      expect((unknown.data as WireError).error.message).toContain('Unknown name "colour"');
    });

    it("answers timeRangeEmpty when timeMax is not after timeMin", async () => {
      for (const timeMax of [hoursFromNow(1), hoursFromNow(2)]) {
        const failure = await failureOf(listEvents({ timeMin: hoursFromNow(2), timeMax }));
        expect(failure.status).toBe(400);
        expect((failure.data as WireError).error.errors[0]).toMatchObject({
          reason: "timeRangeEmpty",
          location: "timeMax",
        });
      }
    });

    it("filters by updatedMin (deletions included), iCalUID, and orders by updated", async () => {
      const mark = new Date(ws.sim.tenant.clock.now() + 1000).toISOString();
      ws.sim.tenant.clock.advance(2000);
      const added = ws.sim.tenant.addEvent(GRACE, {
        start: { dateTime: hoursFromNow(10) },
        end: { dateTime: hoursFromNow(11) },
      });
      // Each change a second apart: two changes in the same millisecond have no order by "updated".
      ws.sim.tenant.clock.advance(1000);
      const gone = ws.sim.tenant.addEvent(GRACE, {
        start: { dateTime: hoursFromNow(4) },
        end: { dateTime: hoursFromNow(5) },
      });
      ws.sim.tenant.clock.advance(1000);
      ws.sim.tenant.deleteEvent(GRACE, gone.id);
      const changed = await listEvents({ updatedMin: mark, orderBy: "updated" });
      expect(changed.data.items?.map((e) => [e.id, e.status])).toEqual([
        [added.id, "confirmed"],
        [gone.id, "cancelled"],
      ]);
      const byUid = await listEvents({ iCalUID: "meeting1@google.com" });
      expect(byUid.data.items?.map((e) => e.id)).toEqual(["meeting1"]);
    });

    it("keeps only the calendar's own attendee over maxAttendees", async () => {
      const { data } = await listEvents({ maxAttendees: 2 });
      const meeting = data.items?.find((e) => e.id === "meeting1");
      expect(meeting?.attendeesOmitted).toBe(true);
      expect(meeting?.attendees?.map((a) => a.email)).toEqual([GRACE]);
      const all = await listEvents({ maxAttendees: 4 });
      expect(all.data.items?.find((e) => e.id === "meeting1")?.attendees).toHaveLength(4);
    });

    it("expands a series up to timeMax however far, and a bounded distance without it", async () => {
      const now = ws.sim.tenant.clock.now();
      const far = await listEvents({
        singleEvents: true,
        timeMin: new Date(now).toISOString(),
        timeMax: new Date(now + 3 * 365 * DAY).toISOString(),
        maxResults: 2500,
      });
      const farWeekly = far.data.items?.filter((e) => e.recurringEventId === "weekly1") ?? [];
      expect(farWeekly.length).toBeGreaterThanOrEqual(156);
      const last = farWeekly.at(-1)?.start?.dateTime ?? "";
      expect(Date.parse(last)).toBeGreaterThan(now + 2.9 * 365 * DAY);
      const open = await listEvents({ singleEvents: true, maxResults: 2500 });
      const openWeekly = open.data.items?.filter((e) => e.recurringEventId === "weekly1") ?? [];
      expect(openWeekly.length).toBeGreaterThan(50);
      expect(openWeekly.length).toBeLessThan(farWeekly.length);
    });
  });

  describe("Directory", () => {
    it("orders users.list by family name, descending, across pages", async () => {
      const names: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await clients.admin.users.list(
          {
            customer: "my_customer",
            orderBy: "familyName",
            sortOrder: "DESCENDING",
            maxResults: 2,
            pageToken,
          },
          ada,
        );
        names.push(...(page.data.users ?? []).map((u) => u.name?.familyName ?? ""));
        pageToken = page.data.nextPageToken ?? undefined;
      } while (pageToken);
      expect(names).toEqual(["Turing", "Torvalds", "Lovelace", "Hopper"]);
      const bad = await failureOf(
        clients.admin.users.list({ customer: "my_customer", orderBy: "shoeSize" }, ada),
      );
      expect((bad.data as WireError).error.errors[0]?.location).toBe("orderBy");
    });

    it("refuses viewType=domain_public and a watch filtered by query as not implemented", async () => {
      const view = await failureOf(
        clients.admin.users.list({ customer: "my_customer", viewType: "domain_public" }, ada),
      );
      expect((view.data as WireError).error.message).toBe(
        "viewType =domain_public is not implemented by the simulator",
      );
      const watch = await failureOf(
        clients.admin.users.watch(
          {
            customer: "my_customer",
            event: "update",
            query: "isSuspended=true",
            requestBody: { id: "c1", type: "web_hook", address: "https://example.test/hook" },
          },
          ada,
        ),
      );
      expect((watch.data as WireError).error.message).toBe("query is not implemented by the simulator");
    });

    it("filters group members by role", async () => {
      const members = await asUser(ws, ADMIN, SCOPES.directoryGroupMembers);
      const owners = await clients.admin.members.list(
        { groupKey: `sales@${DOMAIN}`, roles: "OWNER" },
        members,
      );
      expect(owners.data.members?.map((m) => m.email)).toEqual([ADMIN]);
      const all = await clients.admin.members.list({ groupKey: `sales@${DOMAIN}` }, members);
      expect(all.data.members?.length).toBe(2);
    });
  });

  describe("People", () => {
    const people = async (path: string) => {
      const token = await ws.delegation.accessToken(GRACE, SCOPES.contacts);
      return fetch(`${ws.sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    };

    it("returns only the groupFields asked for, and refuses other-contact sources", async () => {
      const groups = (await (await people("/v1/contactGroups?groupFields=name")).json()) as {
        contactGroups: Array<Record<string, unknown>>;
      };
      expect(groups.contactGroups.length).toBeGreaterThan(0);
      for (const group of groups.contactGroups) expect(group.memberCount).toBeUndefined();
      const withCount = (await (await people("/v1/contactGroups?groupFields=name,memberCount")).json()) as {
        contactGroups: Array<Record<string, unknown>>;
      };
      expect(withCount.contactGroups[0]?.memberCount).toBeTypeOf("number");
      const other = await people(
        "/v1/people/me/connections?personFields=names&sources=READ_SOURCE_TYPE_OTHER_CONTACT",
      );
      expect(other.status).toBe(400);
      expect(((await other.json()) as WireError).error.message).toContain("not implemented by the simulator");
    });
  });
});
