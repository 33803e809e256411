import { afterEach, describe, expect, it } from "vitest";
import type { WatchRequest } from "../../../../shared/ports/directory.js";
import { ChannelStore } from "../../../../shared/usecases/channels/channel-store.js";
import { maintainCalendarChannels } from "../../../../shared/usecases/presence/calendar-channels.js";
import { UserLinkStore } from "../../../../shared/usecases/user-sync/user-link-store.js";
import { type PresenceWorld, presenceWorld, T0 } from "./presence-fakes.js";

const DAY = 24 * 60 * 60 * 1000;
let world: PresenceWorld;
afterEach(async () => {
  await world?.state.close();
});

function recordCalls(w: PresenceWorld) {
  const calls: string[] = [];
  w.ports.calendar.watchEvents = async (email: string, request: WatchRequest) => {
    calls.push(`watch ${email}`);
    return {
      channelId: request.channelId,
      resourceId: `res-${email}`,
      resourceUri: "u",
      expiration: new Date(w.clock.ms + 7 * DAY),
    };
  };
  w.ports.calendar.stopChannel = async (email, channel) => {
    calls.push(`stop ${email} ${channel.channelId}`);
  };
  return calls;
}

const options = { calendarPresence: true, webhookUrl: "https://hook", channelToken: "t" };

describe("maintainCalendarChannels", () => {
  it("opens one channel per synced user, records its kind and owner, and queues a first decision", async () => {
    world = await presenceWorld();
    const calls = recordCalls(world);
    await world.link("g1", 7);
    await world.link("g2", 8);
    const result = await maintainCalendarChannels(world.ports, options);
    expect(result).toMatchObject({ opened: 2, kept: 0, failed: 0 });
    expect(calls.sort()).toEqual(["watch g1@example.com", "watch g2@example.com"]);
    const stored = await new ChannelStore(world.state).ofKind("calendar");
    expect(stored.map((c) => c.googleUserId).sort()).toEqual(["g1", "g2"]);
    expect(world.published.map((p) => p.payload)).toEqual(
      expect.arrayContaining([{ googleUserId: "g1" }, { googleUserId: "g2" }]),
    );
    // A second pass keeps them.
    expect(await maintainCalendarChannels(world.ports, options)).toMatchObject({ opened: 0, kept: 2 });
  });

  it("reads the emails of many users from one Directory listing, not one read per user", async () => {
    world = await presenceWorld();
    recordCalls(world);
    const users = 150;
    for (let i = 0; i < users; i++) await world.link(`g${i}`, i + 1);
    const reads = { list: 0, get: 0 };
    world.ports.directory.getUser = async (id: string) => {
      reads.get++;
      return { id, primaryEmail: `${id}@example.com`, deleted: false } as never;
    };
    world.ports.directory.listUsersPage = async (options: { pageToken?: string }) => {
      reads.list++;
      const page = options.pageToken ? 1 : 0;
      const ids = Array.from({ length: users }, (_, i) => `g${i}`).slice(page * 100, page * 100 + 100);
      return {
        users: ids.map((id) => ({ id, primaryEmail: `${id}@example.com`, deleted: false })),
        ...(page === 0 ? { nextPageToken: "p1" } : {}),
      } as never;
    };
    const result = await maintainCalendarChannels(world.ports, { ...options, callsPerSecond: 1e6 });
    expect(result).toMatchObject({ opened: users, failed: 0 });
    expect(reads).toEqual({ list: 2, get: 0 });
  });

  it("renews a channel near expiry: the new one is recorded before the old one is stopped", async () => {
    world = await presenceWorld();
    const calls = recordCalls(world);
    await world.link("g1");
    await maintainCalendarChannels(world.ports, options);
    const [old] = await new ChannelStore(world.state).ofKind("calendar");
    world.clock.ms = T0 + 6 * DAY;
    const result = await maintainCalendarChannels(world.ports, options);
    expect(result).toMatchObject({ renewed: 1, stopped: 1 });
    expect(calls.slice(1)).toEqual(["watch g1@example.com", `stop g1@example.com ${old?.channelId}`]);
    const now = await new ChannelStore(world.state).ofKind("calendar");
    expect(now).toHaveLength(1);
    expect(now[0]?.channelId).not.toBe(old?.channelId);
    // A renewal is not a new user: no extra decision queued.
    expect(world.published).toHaveLength(1);
  });

  it("stops the channels of users no longer synced, and every channel when calendarPresence is off", async () => {
    world = await presenceWorld();
    const calls = recordCalls(world);
    await world.link("g1", 7);
    await world.link("g2", 8);
    await maintainCalendarChannels(world.ports, options);
    const links = new UserLinkStore(world.state);
    await links.save({
      googleId: "g2",
      threecxId: 8,
      number: "101",
      origin: "created",
      disabledByGw3cx: true,
    });
    expect(await maintainCalendarChannels(world.ports, options)).toMatchObject({ stopped: 1, kept: 1 });
    expect(calls.at(-1)).toMatch(/^stop g2@example.com /);
    expect(
      await maintainCalendarChannels(world.ports, { ...options, calendarPresence: false }),
    ).toMatchObject({
      stopped: 1,
    });
    expect(await new ChannelStore(world.state).ofKind("calendar")).toEqual([]);
  });

  it("paces its calls to the rate it is given", async () => {
    world = await presenceWorld();
    recordCalls(world);
    for (let i = 0; i < 10; i++) await world.link(`g${i}`, i);
    const start = world.clock.ms;
    await maintainCalendarChannels(world.ports, { ...options, callsPerSecond: 5, concurrency: 1 });
    // Ten watch calls at five a second: the last starts 1.8 s after the first.
    expect(world.clock.ms - start).toBeGreaterThanOrEqual(1800);
  });

  it("counts a user whose watch fails and goes on with the others", async () => {
    world = await presenceWorld();
    const calls = recordCalls(world);
    const watch = world.ports.calendar.watchEvents;
    world.ports.calendar.watchEvents = async (email, request) => {
      if (email.startsWith("g1@")) throw new Error("quota");
      return watch(email, request);
    };
    await world.link("g1", 7);
    await world.link("g2", 8);
    expect(await maintainCalendarChannels(world.ports, options)).toMatchObject({ opened: 1, failed: 1 });
    expect(calls).toEqual(["watch g2@example.com"]);
  });
});
