import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../shared/logging/logger.js";
import type { Bus, BusMessage } from "../../../shared/ports/bus.js";
import { handleSyncRequest } from "../../../shared/usecases/user-sync/handle-sync-request.js";
import type { ScheduledPresenceWork } from "../../../shared/usecases/user-sync/run-daily-sync.js";
import type { UserSyncConfig, UserSyncPorts } from "../../../shared/usecases/user-sync/user-sync-ports.js";

const message = (payload: unknown): BusMessage => ({
  id: "m1",
  data: Buffer.from(JSON.stringify(payload)),
  attributes: {},
  deliveryAttempt: 1,
  publishTime: new Date(),
});

/** Ports that fail if a tick touches users, channels or the dead-letter topic. */
function ports(lines: Array<Record<string, unknown>>): UserSyncPorts & { bus: Bus } {
  const untouchable = new Proxy(
    {},
    {
      get: (_t, name) => {
        throw new Error(`the reconcile tick must not use ${String(name)}`);
      },
    },
  );
  const logger = createLogger(
    { component: "test" },
    {
      destination: new Writable({
        write(chunk, _e, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    },
  );
  return {
    directory: untouchable,
    threecx: untouchable,
    state: untouchable,
    clock: untouchable,
    mailer: untouchable,
    bus: untouchable,
    logger,
  } as unknown as UserSyncPorts & { bus: Bus };
}

describe("sync requests: the presence reconcile tick", () => {
  it("runs only the presence reconcile where presence runs", async () => {
    let reconciled = 0;
    const presence: ScheduledPresenceWork = {
      nightly: async () => expect.unreachable("nightly"),
      renewChannels: async () => expect.unreachable("renewChannels"),
      reconcile: async () => ({ due: ++reconciled }),
    };
    const result = await handleSyncRequest(
      message({ trigger: "reconcilePresence" }),
      ports([]),
      {} as UserSyncConfig,
      { webhookUrl: "https://x", channelToken: "t" },
      presence,
    );
    expect(reconciled).toBe(1);
    expect(result).toEqual({ presence: { due: 1 } });
  });

  it("is acknowledged with a warning, never dead-lettered, where presence does not run", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const result = await handleSyncRequest(
      message({ trigger: "reconcilePresence" }),
      ports(lines),
      {} as UserSyncConfig,
      {
        webhookUrl: "https://x",
        channelToken: "t",
      },
    );
    expect(result).toBeUndefined();
    expect(lines.map((l) => [l.event, l.severity])).toEqual([["presenceReconcileUnavailable", "WARNING"]]);
  });
});
