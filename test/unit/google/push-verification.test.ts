import { describe, expect, it } from "vitest";
import { tokensEqual, verifyPushNotification } from "../../../shared/adapters/google/push-verification.js";
import type { RegisteredChannel } from "../../../shared/ports/push.js";

const NOW = new Date("2030-01-01T12:00:00Z");
const channels: Record<string, RegisteredChannel> = {
  dir: {
    channelId: "dir",
    resourceId: "res-dir",
    kind: "directory",
    expiration: new Date("2030-01-02T00:00:00Z"),
  },
  cal: {
    channelId: "cal",
    resourceId: "res-cal",
    kind: "calendar",
    googleUserId: "111",
    expiration: undefined,
  },
  old: {
    channelId: "old",
    resourceId: "res-old",
    kind: "directory",
    expiration: new Date("2030-01-01T11:59:59Z"),
  },
};
const options = {
  expectedToken: "secret",
  lookupChannel: async (id: string) => channels[id],
  now: () => NOW,
};

function headers(overrides: Record<string, string | undefined> = {}) {
  return {
    "X-Goog-Channel-ID": "dir",
    "X-Goog-Channel-Token": "secret",
    "X-Goog-Resource-ID": "res-dir",
    "X-Goog-Resource-State": "update",
    "X-Goog-Message-Number": "7",
    ...overrides,
  };
}
const userBody = JSON.stringify({
  kind: "admin#directory#user",
  id: "4242",
  etag: '"x"',
  primaryEmail: "a@b.c",
});

describe("verifyPushNotification", () => {
  it("accepts a Directory notification and keeps only ids", async () => {
    expect(await verifyPushNotification({ headers: headers(), body: userBody }, options)).toEqual({
      kind: "directory",
      messageNumber: 7,
      message: { googleUserId: "4242", event: "update" },
    });
  });

  it("reads headers in any case, as Node lower-cases them", async () => {
    const lower = Object.fromEntries(Object.entries(headers()).map(([k, v]) => [k.toLowerCase(), v]));
    expect((await verifyPushNotification({ headers: lower, body: userBody }, options)).kind).toBe(
      "directory",
    );
  });

  it("maps a Calendar notification (no body) to the channel's user", async () => {
    const result = await verifyPushNotification(
      {
        headers: headers({
          "X-Goog-Channel-ID": "cal",
          "X-Goog-Resource-ID": "res-cal",
          "X-Goog-Resource-State": "exists",
        }),
      },
      options,
    );
    expect(result).toEqual({
      kind: "calendar",
      messageNumber: 7,
      message: { googleUserId: "111", channelId: "cal" },
    });
  });

  it("answers the sync handshake without a message", async () => {
    const result = await verifyPushNotification(
      { headers: headers({ "X-Goog-Resource-State": "sync", "X-Goog-Message-Number": "1" }) },
      options,
    );
    expect(result).toEqual({ kind: "sync", channelId: "dir" });
  });

  it.each([
    ["PUSH_MALFORMED", headers({ "X-Goog-Channel-ID": undefined }), userBody],
    ["PUSH_MALFORMED", headers({ "X-Goog-Message-Number": "x" }), userBody],
    ["PUSH_UNKNOWN_CHANNEL", headers({ "X-Goog-Channel-ID": "nope" }), userBody],
    [
      "PUSH_CHANNEL_EXPIRED",
      headers({ "X-Goog-Channel-ID": "old", "X-Goog-Resource-ID": "res-old" }),
      userBody,
    ],
    ["PUSH_BAD_TOKEN", headers({ "X-Goog-Channel-Token": "secreT" }), userBody],
    ["PUSH_BAD_TOKEN", headers({ "X-Goog-Channel-Token": undefined }), userBody],
    ["PUSH_RESOURCE_MISMATCH", headers({ "X-Goog-Resource-ID": "res-cal" }), userBody],
    ["PUSH_MALFORMED", headers({ "X-Goog-Resource-State": "exists" }), userBody],
    ["PUSH_MALFORMED", headers(), "not json"],
    ["PUSH_MALFORMED", headers(), JSON.stringify({ kind: "admin#directory#user" })],
  ])("rejects with %s", async (code, hdrs, body) => {
    await expect(verifyPushNotification({ headers: hdrs, body }, options)).rejects.toMatchObject({ code });
  });
});

describe("tokensEqual", () => {
  it("is true only for identical strings, whatever the lengths", () => {
    expect(tokensEqual("secret", "secret")).toBe(true);
    expect(tokensEqual("secret", "secre")).toBe(false);
    expect(tokensEqual("", "secret")).toBe(false);
    expect(tokensEqual("secret-but-longer", "secret")).toBe(false);
  });
});
