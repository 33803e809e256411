import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyPushNotification } from "../../../shared/adapters/google/push-verification.js";
import type { WatchChannel } from "../../../shared/ports/directory.js";
import type { RegisteredChannel } from "../../../shared/ports/push.js";
import {
  DOMAIN,
  header,
  hoursFromNow,
  type PushReceiver,
  type ReceivedPush,
  startPushReceiver,
  startWorkspace,
  type Workspace,
} from "./support.js";

const CHANNEL_TOKEN = "channel-secret-for-tests";
const GRACE = `grace@${DOMAIN}`;

describe("push notifications from the simulator, verified by the adapter", () => {
  let ws: Workspace;
  let receiver: PushReceiver;
  const registry = new Map<string, RegisteredChannel>();

  const verify = (push: ReceivedPush, token = CHANNEL_TOKEN) =>
    verifyPushNotification(
      { headers: push.headers, body: push.body },
      {
        expectedToken: token,
        lookupChannel: async (id) => registry.get(id),
        now: () => new Date(ws.sim.tenant.clock.now()),
      },
    );

  function register(channel: WatchChannel, kind: RegisteredChannel["kind"], googleUserId?: string): void {
    registry.set(channel.channelId, {
      channelId: channel.channelId,
      resourceId: channel.resourceId,
      kind,
      expiration: channel.expiration,
      googleUserId,
    });
  }

  async function watchDirectory(
    event: "update" | "add" = "update",
    ttlSeconds?: number,
  ): Promise<WatchChannel> {
    const channel = await ws.directory.watchUsers(event, {
      channelId: crypto.randomUUID(),
      address: receiver.url,
      token: CHANNEL_TOKEN,
      ttlSeconds,
    });
    register(channel, "directory");
    await ws.sim.notificationsIdle();
    return channel;
  }

  beforeEach(async () => {
    registry.clear();
    ws = await startWorkspace();
    receiver = await startPushReceiver();
  });
  afterEach(async () => {
    await ws.close();
    await receiver.close();
  });

  it("opens a Directory channel whose sync message is acknowledged and not published", async () => {
    const channel = await watchDirectory();
    expect(channel.resourceId).toBeTruthy();
    expect(channel.expiration?.getTime()).toBeGreaterThan(Date.now());
    const [sync] = receiver.received;
    expect(sync && header(sync, "X-Goog-Resource-State")).toBe("sync");
    expect(sync && header(sync, "X-Goog-Message-Number")).toBeTruthy();
    expect(await verify(sync as ReceivedPush)).toEqual({ kind: "sync", channelId: channel.channelId });
  });

  it("turns a Directory change into {googleUserId, event} with Google's headers", async () => {
    const channel = await watchDirectory();
    const grace = ws.sim.tenant.suspendUser(GRACE);
    await ws.sim.notificationsIdle();
    const push = receiver.received.at(-1) as ReceivedPush;
    expect(header(push, "X-Goog-Channel-ID")).toBe(channel.channelId);
    expect(header(push, "X-Goog-Channel-Token")).toBe(CHANNEL_TOKEN);
    expect(header(push, "X-Goog-Resource-ID")).toBe(channel.resourceId);
    expect(header(push, "X-Goog-Resource-URI")).toContain(
      "/admin/directory/v1/users?customer=my_customer&event=update",
    );
    expect(header(push, "X-Goog-Channel-Expiration")).toMatch(/GMT$/);
    expect(JSON.parse(push.body.toString())).toMatchObject({
      kind: "admin#directory#user",
      id: grace.id,
      primaryEmail: GRACE,
    });
    const outcome = await verify(push);
    expect(outcome).toMatchObject({
      kind: "directory",
      message: { googleUserId: grace.id, event: "update" },
    });
    if (outcome.kind === "directory") expect(outcome.messageNumber).toBeGreaterThan(1);
  });

  it("delivers only the watched event type", async () => {
    await watchDirectory("add");
    ws.sim.tenant.suspendUser(GRACE);
    ws.sim.tenant.createUser({ primaryEmail: `new@${DOMAIN}`, givenName: "N", familyName: "H" });
    await ws.sim.notificationsIdle();
    expect(receiver.received.map((p) => header(p, "X-Goog-Resource-State"))).toEqual(["sync", "add"]);
  });

  it("rejects a wrong token, an unknown channel, a foreign resource id and an expired channel", async () => {
    const channel = await watchDirectory("update", 60);
    ws.sim.tenant.suspendUser(GRACE);
    await ws.sim.notificationsIdle();
    const push = receiver.received.at(-1) as ReceivedPush;

    await expect(verify(push, "not-the-secret")).rejects.toMatchObject({ code: "PUSH_BAD_TOKEN" });
    await expect(
      verify({ ...push, headers: { ...push.headers, "x-goog-channel-id": "forged" } }),
    ).rejects.toMatchObject({ code: "PUSH_UNKNOWN_CHANNEL" });
    await expect(
      verify({ ...push, headers: { ...push.headers, "x-goog-resource-id": "other" } }),
    ).rejects.toMatchObject({ code: "PUSH_RESOURCE_MISMATCH" });

    ws.sim.tenant.clock.advance(61_000);
    await expect(verify(push)).rejects.toMatchObject({ code: "PUSH_CHANNEL_EXPIRED" });
    // The simulator honours the expiry too: nothing more is sent on this channel.
    const before = receiver.received.length;
    ws.sim.tenant.suspendUser(GRACE, false);
    await ws.sim.notificationsIdle();
    expect(receiver.received.length).toBe(before);
    expect(registry.get(channel.channelId)).toBeDefined();
  });

  it("stops a channel", async () => {
    const channel = await watchDirectory();
    await ws.directory.stopChannel(channel);
    ws.sim.tenant.suspendUser(GRACE);
    await ws.sim.notificationsIdle();
    expect(receiver.received).toHaveLength(1);
    await expect(ws.directory.stopChannel(channel)).rejects.toMatchObject({ code: "DIRECTORY_NOT_FOUND" });
  });

  it("notifies a Calendar channel without a body and maps it to the watched user", async () => {
    const grace = ws.sim.tenant.directory.require(GRACE);
    const channel = await ws.calendar.watchEvents(GRACE, {
      channelId: crypto.randomUUID(),
      address: receiver.url,
      token: CHANNEL_TOKEN,
    });
    register(channel, "calendar", grace.id);
    // Calendar's documented default lifetime is a week.
    expect((channel.expiration?.getTime() ?? 0) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    ws.sim.tenant.addEvent(GRACE, {
      start: { dateTime: hoursFromNow(1) },
      end: { dateTime: hoursFromNow(2) },
    });
    await ws.sim.notificationsIdle();
    const push = receiver.received.at(-1) as ReceivedPush;
    expect(header(push, "X-Goog-Resource-State")).toBe("exists");
    expect(push.body.length).toBe(0);
    expect(await verify(push)).toMatchObject({
      kind: "calendar",
      message: { googleUserId: grace.id, channelId: channel.channelId },
    });
    await ws.calendar.stopChannel(GRACE, channel);
  });

  it("numbers each channel's messages from its sync message, 1, upward", async () => {
    const first = await watchDirectory();
    ws.sim.tenant.suspendUser(GRACE);
    await ws.sim.notificationsIdle();
    const second = await watchDirectory();
    ws.sim.tenant.suspendUser(GRACE, false);
    ws.sim.tenant.updateUser(GRACE, { givenName: "G." });
    await ws.sim.notificationsIdle();
    const numbersOf = (channelId: string) =>
      receiver.received
        .filter((p) => header(p, "X-Goog-Channel-ID") === channelId)
        .map((p) => [header(p, "X-Goog-Resource-State"), Number(header(p, "X-Goog-Message-Number"))]);
    expect(numbersOf(first.channelId)).toEqual([
      ["sync", 1],
      ["update", 2],
      ["update", 3],
      ["update", 4],
    ]);
    expect(numbersOf(second.channelId)).toEqual([
      ["sync", 1],
      ["update", 2],
      ["update", 3],
    ]);
  });

  it("notifies a Calendar channel opened with eventTypes only for those types", async () => {
    const channel = await ws.calendar.watchEvents(GRACE, {
      channelId: "ooo-only",
      address: receiver.url,
      token: CHANNEL_TOKEN,
    });
    expect(channel.channelId).toBe("ooo-only");
    const token = await ws.delegation.accessToken(GRACE, [
      "https://www.googleapis.com/auth/calendar.events.readonly",
    ]);
    const watch = await fetch(
      `${ws.sim.url}/calendar/v3/calendars/primary/events/watch?eventTypes=outOfOffice`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "ooo-filtered", type: "web_hook", address: receiver.url }),
      },
    );
    expect(watch.status).toBe(200);
    await ws.sim.notificationsIdle();
    receiver.received.length = 0;
    ws.sim.tenant.addEvent(GRACE, {
      start: { dateTime: hoursFromNow(1) },
      end: { dateTime: hoursFromNow(2) },
    });
    await ws.sim.notificationsIdle();
    expect(receiver.received.map((p) => header(p, "X-Goog-Channel-ID"))).toEqual(["ooo-only"]);
    ws.sim.tenant.addEvent(GRACE, {
      eventType: "outOfOffice",
      start: { dateTime: hoursFromNow(3) },
      end: { dateTime: hoursFromNow(4) },
    });
    await ws.sim.notificationsIdle();
    expect(receiver.received.map((p) => header(p, "X-Goog-Channel-ID")).sort()).toEqual(
      ["ooo-filtered", "ooo-only", "ooo-only"].sort(),
    );
  });
});

describe("push addresses", () => {
  it("must be https unless the simulator is started allowing http", async () => {
    const strict = await startWorkspace(undefined, { allowHttpPush: false });
    try {
      const refused = await strict.directory
        .watchUsers("update", { channelId: "c1", address: "http://127.0.0.1:9/hook", token: "t" })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 400 });
      expect(String((refused as Error).message)).toContain("WebHook callback must be HTTPS");
      const accepted = await strict.directory.watchUsers("update", {
        channelId: "c2",
        address: "https://127.0.0.1:9/hook",
        token: "t",
      });
      expect(accepted.resourceId).toBeTruthy();
      await strict.sim.notificationsIdle();
    } finally {
      await strict.close();
    }
    const relaxed = await startWorkspace(undefined, { allowHttpPush: true });
    try {
      const channel = await relaxed.directory.watchUsers("update", {
        channelId: "c3",
        address: "http://127.0.0.1:9/hook",
        token: "t",
      });
      expect(channel.resourceId).toBeTruthy();
      await relaxed.sim.notificationsIdle();
    } finally {
      await relaxed.close();
    }
  });
});
