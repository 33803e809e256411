import { afterEach, describe, expect, it } from "vitest";
import { verifyPushNotification } from "../../../../shared/adapters/google/push-verification.js";
import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import { createLogger } from "../../../../shared/logging/logger.js";
import { TOPICS } from "../../../../shared/messaging/topics.js";
import type { Bus } from "../../../../shared/ports/bus.js";
import { ChannelStore } from "../../../../shared/usecases/channels/channel-store.js";
import {
  handleDirectoryPush,
  PUSH_REFUSED,
} from "../../../../shared/usecases/user-sync/handle-directory-push.js";

let state: SqliteStateStore;
afterEach(async () => {
  await state?.close();
});

async function webhook() {
  state = new SqliteStateStore(":memory:");
  const channels = new ChannelStore(state);
  await channels.save({
    channelId: "cal-1",
    resourceId: "res-cal",
    kind: "calendar",
    googleUserId: "g42",
    expiration: new Date(Date.now() + 60_000),
    createdAt: new Date(),
  });
  const published: { topic: string; payload: unknown }[] = [];
  const bus = {
    publish: async (topic: string, payload: unknown) => {
      published.push({ topic, payload });
      return `m${published.length}`;
    },
  } as unknown as Bus;
  const ports = {
    verifyPush: verifyPushNotification,
    bus,
    state,
    logger: createLogger({ component: "test" }, { destination: { write() {} } }),
  };
  const notify = (headers: Record<string, string>) =>
    handleDirectoryPush(
      {
        headers: {
          "x-goog-channel-id": "cal-1",
          "x-goog-resource-id": "res-cal",
          "x-goog-resource-state": "exists",
          "x-goog-message-number": "2",
          "x-goog-channel-token": "secret",
          ...headers,
        },
      },
      ports,
      "secret",
    );
  return { notify, published };
}

describe("one webhook for Directory and Calendar channels", () => {
  it("publishes only the calendar owner's id to gw3cx-calendar-changes", async () => {
    const { notify, published } = await webhook();
    expect(await notify({})).toEqual({ status: 200, published: "m1" });
    expect(published).toEqual([{ topic: TOPICS.calendarChanges, payload: { googleUserId: "g42" } }]);
  });

  it("acknowledges the sync handshake without publishing", async () => {
    const { notify, published } = await webhook();
    expect(await notify({ "x-goog-resource-state": "sync", "x-goog-message-number": "1" })).toEqual({
      status: 204,
    });
    expect(published).toEqual([]);
  });

  it("answers every failed verification of a calendar channel with the same 403", async () => {
    const { notify, published } = await webhook();
    const refusals: Record<string, string>[] = [
      { "x-goog-channel-token": "wrong" },
      { "x-goog-resource-id": "other" },
      { "x-goog-channel-id": "unknown" },
      { "x-goog-resource-state": "update" },
    ];
    for (const bad of refusals) {
      expect(await notify(bad)).toBe(PUSH_REFUSED);
    }
    expect(published).toEqual([]);
  });
});
