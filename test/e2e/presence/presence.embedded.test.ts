import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPresence } from "../../../shared/usecases/presence/apply-presence.js";
import { scheduledPresenceWork } from "../../../shared/usecases/presence/nightly-presence.js";
import { reconcilePresence } from "../../../shared/usecases/presence/reconcile-presence.js";
import { readLocalStatus } from "../../support/read-local-status.js";
import { emailOf, eventually, iso, type PresenceWorld, startPresenceWorld } from "./presence-world.js";

/**
 * Presence end to end on the single-machine stack: Calendar notifications through the webhook, the
 * presence worker, the embedded boundary timers, 3CX through the simulator. Meetings are placed on
 * the real clock a few seconds ahead, so every boundary here is one the timers must hit.
 */
let world: PresenceWorld;
beforeAll(async () => {
  world = await startPresenceWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const DND = "Out of office";
const SECOND = 1000;
/** A whole second at least `seconds` from now: event times travel as RFC 3339 without milliseconds. */
const secondsAhead = (seconds: number) => Math.ceil((Date.now() + seconds * SECOND) / SECOND) * SECOND;

describe("presence from Google Calendar (embedded)", () => {
  it("a meeting starting now sets DND within 5 s; its end restores the profile within 5 s", async () => {
    const end = secondsAhead(4);
    world.addEvent("ada", {
      summary: "Stand-up",
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(end) },
    });
    const entered = await eventually(() => world.profileOf("ada") === DND, 5 * SECOND, "ada in DND");
    expect(entered).toBeLessThan(5 * SECOND);
    expect(world.messageOf("ada", DND)).toMatch(/^In a meeting until \d\d:\d\d$/);
    // Status lists the override while it lasts. It is stored once the 3CX write has answered, a
    // moment after 3CX shows the profile.
    let status = await readLocalStatus(world.runtime.userSync.state, new Date());
    for (let i = 0; i < 40 && status.presence.overrides.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = await readLocalStatus(world.runtime.userSync.state, new Date());
    }
    expect(status.presence.overrides).toMatchObject([
      {
        user: emailOf("ada"),
        googleUserId: expect.any(String),
        profile: DND,
        since: expect.any(String),
        until: iso(end),
        kind: "dnd",
      },
    ]);
    // The four people and the Workspace admin are synced, so five calendars are watched.
    expect(status.presence.calendarChannels).toBe(5);
    await eventually(() => world.profileOf("ada") === "Available", end - Date.now() + 5 * SECOND, "ada back");
    expect(Date.now()).toBeGreaterThanOrEqual(end);
    expect(world.messageOf("ada", DND)).toBeNull();
  });

  it("a profile chosen by hand during a meeting wins, through later notifications and the end", async () => {
    const end = secondsAhead(4);
    const id = world.addEvent("grace", {
      summary: "Review",
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(end) },
    });
    await eventually(() => world.profileOf("grace") === DND, 5 * SECOND, "grace in DND");
    await world.runtime.threecx.setCurrentProfileName(world.threecxIdOf("grace"), "Away");
    const writes = world.presenceWrites();
    world.sims.google.tenant.updateEvent(emailOf("grace"), id, { summary: "Review (moved room)" });
    await new Promise((r) => setTimeout(r, end - Date.now() + 1500));
    expect(world.profileOf("grace")).toBe("Away");
    // Only the message gw3cx wrote on "Out of office" is given back; the profile is never touched again.
    expect(world.presenceWrites() - writes).toBeLessThanOrEqual(1);
  });

  it("Lunch (Custom 1) shown when a meeting begins is respected", async () => {
    await world.runtime.threecx.setCurrentProfileName(world.threecxIdOf("alan"), "Custom 1");
    const writes = world.presenceWrites();
    const end = secondsAhead(3);
    world.addEvent("alan", {
      summary: "1:1",
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(end) },
    });
    await eventually(
      () =>
        world.logs.some(
          (l) => l.event === "presenceUnchanged" && String(l.steps).includes("reserved-profile"),
        ),
      5 * SECOND,
      "alan's decision",
    );
    await new Promise((r) => setTimeout(r, end - Date.now() + 1500));
    expect(world.profileOf("alan")).toBe("Custom 1");
    expect(world.presenceWrites()).toBe(writes);
    await world.runtime.threecx.setCurrentProfileName(world.threecxIdOf("alan"), "Available");
  });

  it("an organizer moving a meeting moves every attendee's DND", async () => {
    const later = Date.now() + 60 * 60 * SECOND;
    const id = world.addEvent("ada", {
      summary: "Planning",
      start: { dateTime: iso(later) },
      end: { dateTime: iso(later + 30 * 60 * SECOND) },
      attendees: [
        { email: emailOf("ada"), organizer: true, responseStatus: "accepted" },
        { email: emailOf("edsger"), responseStatus: "accepted" },
      ],
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(world.profileOf("ada")).toBe("Available");
    expect(world.profileOf("edsger")).toBe("Available");
    const end = secondsAhead(5);
    world.sims.google.tenant.updateEvent(emailOf("ada"), id, {
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(end) },
    });
    await eventually(
      () => world.profileOf("ada") === DND && world.profileOf("edsger") === DND,
      5 * SECOND,
      "both in DND",
    );
    // Moved away again: both come back at once, not at the old end.
    world.sims.google.tenant.updateEvent(emailOf("ada"), id, {
      start: { dateTime: iso(later) },
      end: { dateTime: iso(later + 30 * 60 * SECOND) },
    });
    await eventually(
      () => world.profileOf("ada") === "Available" && world.profileOf("edsger") === "Available",
      5 * SECOND,
      "both back",
    );
    world.sims.google.tenant.deleteEvent(emailOf("ada"), id);
  });

  it("duplicated and reordered notifications converge with one write per change", async () => {
    // Grace kept the Away she chose by hand above: back to Available first.
    await world.runtime.threecx.setCurrentProfileName(world.threecxIdOf("grace"), "Available");
    await new Promise((r) => setTimeout(r, 300));
    // The new event's notification arrives twice; the two edits' arrive last-first.
    world.sims.google.tenant.faults.addNotificationFault({ kind: "duplicate", times: 1 });
    const before = world.presenceWrites();
    const end = secondsAhead(4);
    const id = world.addEvent("grace", {
      summary: "Dup",
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(end) },
    });
    await eventually(() => world.profileOf("grace") === DND, 5 * SECOND, "grace in DND");
    world.sims.google.tenant.faults.addNotificationFault({ kind: "reorder", times: 2 });
    world.sims.google.tenant.updateEvent(emailOf("grace"), id, { summary: "Dup 2" });
    world.sims.google.tenant.updateEvent(emailOf("grace"), id, { summary: "Dup 3" });
    await eventually(
      () => world.profileOf("grace") === "Available",
      end - Date.now() + 5 * SECOND,
      "grace back",
    );
    world.sims.google.tenant.faults.clear();
    // Enter and leave: one PATCH each (message and profile together). Nothing for the duplicates or the reordering.
    expect(world.presenceWrites() - before).toBe(2);
  });

  it("a dropped notification is repaired by the nightly resync", async () => {
    world.sims.google.tenant.faults.addNotificationFault({ kind: "drop", times: 1 });
    const end = Date.now() + 10 * 60 * SECOND;
    const id = world.addEvent("alan", {
      summary: "Dropped",
      start: { dateTime: iso(Date.now() - SECOND) },
      end: { dateTime: iso(end) },
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(world.profileOf("alan")).toBe("Available");
    // The nightly job's presence part: channels checked, every calendar read whole.
    const nightly = await scheduledPresenceWork(world.runtime.presence, world.runtime.presenceConfig, {
      webhookUrl: world.host.webhookUrl,
      channelToken: "demo-channel-token",
    }).nightly();
    expect(nightly).toMatchObject({ channels: { kept: 5, failed: 0 }, resync: { users: 5, failed: 0 } });
    expect(world.profileOf("alan")).toBe(DND);
    world.sims.google.tenant.deleteEvent(emailOf("alan"), id);
    await eventually(() => world.profileOf("alan") === "Available", 5 * SECOND, "alan back");
  });

  it("a 410 on the stored sync token recovers with a full read of the window", async () => {
    world.sims.google.tenant.invalidateCalendarSyncTokens(emailOf("edsger"));
    const id = world.addEvent("edsger", {
      summary: "After 410",
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(Date.now() + 10 * 60 * SECOND) },
    });
    await eventually(() => world.profileOf("edsger") === DND, 5 * SECOND, "edsger in DND");
    expect(world.logs.some((l) => l.event === "googleSyncTokenInvalidated")).toBe(true);
    world.sims.google.tenant.deleteEvent(emailOf("edsger"), id);
    await eventually(() => world.profileOf("edsger") === "Available", 5 * SECOND, "edsger back");
  });

  it("a lost boundary timer is repaired by the reconcile tick", async () => {
    const end = secondsAhead(2);
    world.addEvent("ada", {
      summary: "Short",
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(end) },
    });
    await eventually(() => world.profileOf("ada") === DND, 5 * SECOND, "ada in DND");
    // The timer is lost (a crash between the state write and the timer, a dropped task).
    const pending = world.runtime.scheduler.pending().filter((w) => w.at === end);
    expect(pending).toHaveLength(1);
    await world.runtime.scheduler.cancel(pending[0] as { googleUserId: string; at: number });
    await new Promise((r) => setTimeout(r, end - Date.now() + 1000));
    expect(world.profileOf("ada")).toBe(DND);
    const tick = await reconcilePresence(world.runtime.presence, world.runtime.presenceConfig, {
      lostAfterMs: 0,
    });
    expect(tick).toMatchObject({ due: 1, applied: 1 });
    expect(world.profileOf("ada")).toBe("Available");
  });

  it("a restart of the local stack keeps pending boundaries", async () => {
    const end = secondsAhead(6);
    world.addEvent("edsger", {
      summary: "Across a restart",
      start: { dateTime: iso(Date.now()) },
      end: { dateTime: iso(end) },
    });
    await eventually(() => world.profileOf("edsger") === DND, 5 * SECOND, "edsger in DND");
    await world.restart();
    expect(world.runtime.scheduler.pending().some((w) => w.at === end)).toBe(true);
    await eventually(
      () => world.profileOf("edsger") === "Available",
      end - Date.now() + 5 * SECOND,
      "edsger back",
    );
    expect(Date.now()).toBeGreaterThanOrEqual(end);
  }, 30_000);

  it("applying again with nothing changed writes nothing", async () => {
    const writes = world.presenceWrites();
    const googleId = world.sims.google.tenant.directory.require(emailOf("ada")).id;
    const result = await applyPresence(world.runtime.presence, world.runtime.presenceConfig, googleId);
    expect(result).toMatchObject({ status: "applied", writes: [] });
    expect(world.presenceWrites()).toBe(writes);
    expect(JSON.stringify(world.logs)).not.toContain("Stand-up");
  });
});
