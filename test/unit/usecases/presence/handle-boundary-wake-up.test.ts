import { afterEach, describe, expect, it } from "vitest";
import { TOPICS } from "../../../../shared/messaging/topics.js";
import { handleBoundaryWakeUp } from "../../../../shared/usecases/presence/handle-boundary-wake-up.js";
import { UserLinkStore } from "../../../../shared/usecases/user-sync/user-link-store.js";
import { CONFIG, MIN, meetingEvent, type PresenceWorld, presenceWorld, T0 } from "./presence-fakes.js";

let world: PresenceWorld;
afterEach(async () => {
  await world?.state.close();
});

const delivery = (payload: unknown, retryCount = 0) => ({
  body: Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)),
  taskName: "projects/p/locations/l/queues/q/tasks/t1",
  retryCount,
});

describe("handleBoundaryWakeUp (the boundary function's use case)", () => {
  it("applies the user's presence at the boundary and finishes the task", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 30 * MIN, T0));
    world.clock.ms = T0 - MIN;
    await handleBoundaryWakeUp(delivery({ googleUserId: "g1", at: T0 - MIN }), world.ports, CONFIG);
    expect(world.pbx.presence.profile).toBe("Out of office");

    world.clock.ms = T0;
    expect(await handleBoundaryWakeUp(delivery({ googleUserId: "g1", at: T0 }), world.ports, CONFIG)).toBe(
      "done",
    );
    expect(world.pbx.presence.profile).toBe("Available");
    // A duplicate delivery of the same task writes nothing more.
    const writes = world.pbx.writes.length;
    expect(await handleBoundaryWakeUp(delivery({ googleUserId: "g1", at: T0 }, 1), world.ports, CONFIG)).toBe(
      "done",
    );
    expect(world.pbx.writes).toHaveLength(writes);
  });

  it("has the queue retry while another worker holds the user, or when 3CX fails", async () => {
    world = await presenceWorld();
    await world.link("g1");
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    const links = new UserLinkStore(world.state);
    const lock = await links.tryLock("g1", "user-sync", new Date(T0), 60_000);
    expect(await handleBoundaryWakeUp(delivery({ googleUserId: "g1", at: T0 }), world.ports, CONFIG)).toBe(
      "retry",
    );
    if (lock) await links.unlock(lock);
    world.pbx.failNextWrite = true;
    expect(await handleBoundaryWakeUp(delivery({ googleUserId: "g1", at: T0 }), world.ports, CONFIG)).toBe(
      "retry",
    );
    expect(await handleBoundaryWakeUp(delivery({ googleUserId: "g1", at: T0 }), world.ports, CONFIG)).toBe(
      "done",
    );
    expect(world.pbx.presence.profile).toBe("Out of office");
  });

  it.each([
    ["no instant", { googleUserId: "g1" }, "at = (missing)"],
    ["a bad user id", { googleUserId: "../x", at: T0 }, 'googleUserId = "../x"'],
    ["an extra field", { googleUserId: "g1", at: T0, profile: "DND" }, "profile"],
    ["not JSON", "nope", "not JSON"],
  ])("finishes a task with %s and dead-letters its body with the reason", async (_name, payload, reason) => {
    world = await presenceWorld();
    expect(await handleBoundaryWakeUp(delivery(payload), world.ports, CONFIG)).toBe("done");
    expect(world.published).toHaveLength(1);
    expect(world.published[0]?.topic).toBe(`${TOPICS.calendarChanges}-dead-letter`);
    expect(world.published[0]?.attributes).toMatchObject({
      originalMessageId: "projects/p/locations/l/queues/q/tasks/t1",
      source: "cloud-tasks",
    });
    expect(world.published[0]?.attributes?.deadLetterReason).toContain(reason);
    expect(world.pbx.writes).toEqual([]);
  });
});
