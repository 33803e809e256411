import { afterEach, describe, expect, it } from "vitest";
import { TOPICS } from "../../../../shared/messaging/topics.js";
import type { BusMessage } from "../../../../shared/ports/bus.js";
import { applyPresence } from "../../../../shared/usecases/presence/apply-presence.js";
import { handleCalendarChange } from "../../../../shared/usecases/presence/handle-calendar-change.js";
import { PresenceStore } from "../../../../shared/usecases/presence/presence-store.js";
import { reconcilePresence } from "../../../../shared/usecases/presence/reconcile-presence.js";
import { UserLinkStore } from "../../../../shared/usecases/user-sync/user-link-store.js";
import { CONFIG, MIN, meetingEvent, type PresenceWorld, presenceWorld, T0 } from "./presence-fakes.js";

let world: PresenceWorld;
afterEach(async () => {
  await world?.state.close();
});

const message = (payload: unknown): BusMessage => ({
  id: "m1",
  data: Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)),
  attributes: {},
  deliveryAttempt: 1,
  publishTime: new Date(T0),
});

describe("applyPresence", () => {
  it("enters a meeting under way (message and profile in one write), stores the state, schedules the end", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));

    const result = await applyPresence(world.ports, CONFIG, "g1");

    expect(result).toMatchObject({ status: "applied", nextBoundaryMs: T0 + 30 * MIN });
    expect(world.pbx.writes).toEqual(["message:Out of office", "profile:Out of office"]);
    expect(world.pbx.patches).toBe(1);
    expect(world.pbx.presence.messages["Out of office"]).toBe("In a meeting until 10:30");
    expect(world.scheduler.scheduled).toEqual([{ googleUserId: "g1", at: T0 + 30 * MIN }]);
    const stored = await new PresenceStore(world.state).get("g1");
    expect(stored).toMatchObject({ email: "g1@example.com", holding: true, nextBoundaryMs: T0 + 30 * MIN });
    // The first read is the whole window, a day back to 14 days ahead.
    expect(world.calendar.calls[0]?.options).toMatchObject({
      fullSyncFrom: new Date(T0 - 24 * 60 * MIN),
      fullSyncUntil: new Date(T0 + 14 * 24 * 60 * MIN),
    });
    expect(world.calendar.calls[0]?.options.syncToken).toBeUndefined();
  });

  it("converges: duplicated and late calls write nothing more and schedule nothing again", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    await applyPresence(world.ports, CONFIG, "g1");
    const writes = world.pbx.writes.length;
    for (let i = 0; i < 3; i++) await applyPresence(world.ports, CONFIG, "g1");
    expect(world.pbx.writes).toHaveLength(writes);
    expect(world.scheduler.scheduled).toHaveLength(1);
    // Reads after the first go from the stored token.
    expect(world.calendar.calls.slice(1).every((c) => c.options.syncToken !== undefined)).toBe(true);
  });

  it("restores at the boundary and follows a moved meeting from an incremental read", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    await applyPresence(world.ports, CONFIG, "g1");

    // The organizer shortens it: the change alone arrives, the old interval is replaced.
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 10 * MIN));
    world.clock.ms = T0 + MIN;
    const moved = await applyPresence(world.ports, CONFIG, "g1");
    expect(moved).toMatchObject({ nextBoundaryMs: T0 + 10 * MIN });
    expect(world.scheduler.scheduled.at(-1)).toEqual({ googleUserId: "g1", at: T0 + 10 * MIN });
    expect(world.scheduler.cancelled).toEqual([{ googleUserId: "g1", at: T0 + 30 * MIN }]);
    expect(world.pbx.presence.messages["Out of office"]).toBe("In a meeting until 10:10");

    world.clock.ms = T0 + 10 * MIN;
    const patches = world.pbx.patches;
    const ended = await applyPresence(world.ports, CONFIG, "g1");
    expect(ended).toMatchObject({ status: "applied", nextBoundaryMs: null, steps: ["left-restored"] });
    // The message cleared and the profile restored: one write.
    expect(world.pbx.patches - patches).toBe(1);
    expect(world.pbx.presence).toEqual({
      profile: "Available",
      messages: expect.objectContaining({ "Out of office": null }),
    });
    expect((await new PresenceStore(world.state).get("g1"))?.holding).toBe(false);
  });

  it("a cancelled meeting is left at once", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    await applyPresence(world.ports, CONFIG, "g1");
    world.calendar.cancel("e1");
    await applyPresence(world.ports, CONFIG, "g1");
    expect(world.pbx.presence.profile).toBe("Available");
  });

  it("keeps the old state and token when a 3CX write fails, and converges on the next call", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    world.pbx.failNextWrite = true;
    await expect(applyPresence(world.ports, CONFIG, "g1")).rejects.toThrow("3CX write failed");
    expect(await new PresenceStore(world.state).get("g1")).toBeUndefined();
    await applyPresence(world.ports, CONFIG, "g1");
    expect(world.pbx.presence.profile).toBe("Out of office");
    await applyPresence(world.ports, CONFIG, "g1");
    expect(world.pbx.writes).toEqual(["message:Out of office", "profile:Out of office"]);
  });

  it("skips users who are not linked, disabled by gw3cx, or when calendarPresence is off", async () => {
    world = await presenceWorld();
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    expect(await applyPresence(world.ports, CONFIG, "nobody")).toEqual({ status: "not-linked" });
    await new UserLinkStore(world.state).save({
      googleId: "g2",
      threecxId: 8,
      number: "102",
      origin: "created",
      disabledByGw3cx: true,
    });
    expect(await applyPresence(world.ports, CONFIG, "g2")).toEqual({ status: "not-linked" });
    await world.link("g1");
    expect(await applyPresence(world.ports, { ...CONFIG, calendarPresence: false }, "g1")).toEqual({
      status: "off",
    });
    expect(world.calendar.calls).toEqual([]);
    expect(world.pbx.writes).toEqual([]);
  });

  it("answers busy while another worker holds the user's lease", async () => {
    world = await presenceWorld();
    await world.link("g1");
    await new UserLinkStore(world.state).tryLock("g1", "user-sync", new Date(T0), 60_000);
    expect(await applyPresence(world.ports, CONFIG, "g1")).toEqual({ status: "busy" });
    expect(await handleCalendarChange(message({ googleUserId: "g1" }), world.ports, CONFIG)).toBe("nack");
  });

  it("never logs an event title", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    await applyPresence(world.ports, CONFIG, "g1");
    expect(world.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(world.logs)).not.toContain("Secret project title");
  });
});

describe("handleCalendarChange", () => {
  it("dead-letters a malformed message with the field and value, and acks it", async () => {
    world = await presenceWorld();
    const ack = await handleCalendarChange(message({ googleUserId: "../x" }), world.ports, CONFIG);
    expect(ack).toBe("ack");
    expect(world.published).toHaveLength(1);
    expect(world.published[0]?.topic).toBe(`${TOPICS.calendarChanges}-dead-letter`);
    const notJson = await handleCalendarChange(message("nope"), world.ports, CONFIG);
    expect(notJson).toBe("ack");
    expect(world.published).toHaveLength(2);
  });

  it("nacks when Google or 3CX fails, so the bus redelivers", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    world.pbx.failNextWrite = true;
    expect(await handleCalendarChange(message({ googleUserId: "g1" }), world.ports, CONFIG)).toBe("nack");
    expect(await handleCalendarChange(message({ googleUserId: "g1" }), world.ports, CONFIG)).toBe("ack");
    expect(world.pbx.presence.profile).toBe("Out of office");
  });
});

describe("reconcilePresence", () => {
  it("applies users whose boundary passed without a wake-up, and only them", async () => {
    world = await presenceWorld();
    await world.link("g1", 7);
    await world.link("g2", 8);
    world.calendar.put(meetingEvent("e1", T0 + 5 * MIN, T0 + 30 * MIN));
    await applyPresence(world.ports, CONFIG, "g1");
    await applyPresence(world.ports, CONFIG, "g2");
    expect(world.pbx.writes).toEqual([]);

    // Not yet due: nothing.
    world.clock.ms = T0 + 5 * MIN;
    expect(await reconcilePresence(world.ports, CONFIG)).toMatchObject({ due: 0 });
    // The wake-ups were lost: the tick applies both once they are clearly late.
    world.clock.ms = T0 + 6 * MIN;
    expect(await reconcilePresence(world.ports, CONFIG)).toMatchObject({ due: 2, applied: 2 });
    expect(world.pbx.writes.filter((w) => w === "profile:Out of office")).toHaveLength(2);
    expect(await reconcilePresence(world.ports, CONFIG)).toMatchObject({ due: 0 });
  });
});
