import { describe, expect, it } from "vitest";
import type { Bus } from "../../../shared/ports/bus.js";
import { PushRejectedError } from "../../../shared/ports/push.js";
import type { StateStore } from "../../../shared/ports/state-store.js";
import {
  handleDirectoryPush,
  PUSH_REFUSED,
} from "../../../shared/usecases/user-sync/handle-directory-push.js";
import { capturedLogger } from "../../support/captured-logger.js";

/** Refuses every notification as an unknown channel, and records the log lines written. */
async function refuseUnknown(
  state: string,
): Promise<{ status: number; lines: Array<Record<string, unknown>> }> {
  const { logger, lines } = capturedLogger("test", "debug");
  const response = await handleDirectoryPush(
    { headers: { "x-goog-channel-id": "c1", "x-goog-resource-state": state } },
    {
      verifyPush: async () => {
        throw new PushRejectedError("UNKNOWN_CHANNEL", "no such channel");
      },
      bus: {} as Bus,
      state: {} as StateStore,
      logger,
    },
    "token",
  );
  return { status: response.status, lines };
}

describe("directory webhook: what a refusal logs", () => {
  it("an early sync handshake of a channel being opened is refused like any other, but logged at DEBUG", async () => {
    const early = await refuseUnknown("sync");
    const update = await refuseUnknown("update");
    expect(early.status).toBe(PUSH_REFUSED.status);
    expect(update.status).toBe(PUSH_REFUSED.status);
    expect(early.lines.map((l) => [l.event, l.severity])).toEqual([["pushEarlyHandshakeRefused", "DEBUG"]]);
    expect(update.lines.map((l) => [l.event, l.severity])).toEqual([["directoryChangeRejected", "WARNING"]]);
  });
});
