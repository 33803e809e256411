import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, DOMAIN, hoursFromNow, startWorkspace, type Workspace } from "./support.js";

/** The /_sim admin API: how a test in another process (or a person with curl) changes the tenant. */
describe("simulator admin API over HTTP", () => {
  let ws: Workspace;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${ws.sim.url}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    ws = await startWorkspace();
  });
  afterAll(() => ws.close());

  it("creates, suspends, deletes and undeletes a user", async () => {
    const created = await call("POST", "/users", {
      primaryEmail: `kay@${DOMAIN}`,
      givenName: "Kay",
      familyName: "Ryu",
    });
    expect(created.status).toBe(200);
    await call("PATCH", `/users/kay@${DOMAIN}`, { suspended: true, orgUnitPath: "/Sales" });
    expect(await ws.directory.getUser(`kay@${DOMAIN}`)).toMatchObject({
      suspended: true,
      orgUnitPath: "/Sales",
    });
    expect((await call("DELETE", `/users/kay@${DOMAIN}`)).status).toBe(204);
    expect(await ws.directory.getUser(`kay@${DOMAIN}`)).toBeUndefined();
    await call("POST", `/users/kay@${DOMAIN}/undelete`);
    expect((await ws.directory.getUser(`kay@${DOMAIN}`))?.primaryEmail).toBe(`kay@${DOMAIN}`);
    const duplicate = await call("POST", "/users", {
      primaryEmail: `kay@${DOMAIN}`,
      givenName: "K",
      familyName: "R",
    });
    expect(duplicate.status).toBe(400);
  });

  it("adds and moves an event, adds a contact, arms and clears a fault", async () => {
    const added = (await (
      await call("POST", `/users/${ADMIN}/events`, {
        summary: "Added over HTTP",
        start: { dateTime: hoursFromNow(1) },
        end: { dateTime: hoursFromNow(2) },
      })
    ).json()) as { id: string };
    await call("PATCH", `/users/${ADMIN}/events/${added.id}`, {
      start: { dateTime: hoursFromNow(3) },
      end: { dateTime: hoursFromNow(4) },
    });
    const events = (await ws.calendar.syncEvents(ADMIN)).events;
    expect(Date.parse(events.find((e) => e.id === added.id)?.start?.dateTime ?? "")).toBe(
      Date.parse(hoursFromNow(3)),
    );

    await call("POST", `/users/${ADMIN}/contacts`, { givenName: "Via", familyName: "Http", labels: ["3CX"] });
    expect((await ws.people.syncContacts(ADMIN)).contacts.map((c) => c.givenName)).toEqual(["Via"]);

    await call("POST", "/faults", { operation: "directory.users.get", error: "503" });
    ws.sim.resetRequests();
    await expect(ws.directory.getUser(ADMIN)).rejects.toMatchObject({ code: "DIRECTORY_UNAVAILABLE" });
    await call("DELETE", "/faults");
    expect((await ws.directory.getUser(ADMIN))?.isAdmin).toBe(true);
  });
});
