import { describe, expect, it } from "vitest";
import type { Bus, BusMessage } from "../../../shared/ports/bus.js";
import { handleSyncRequest } from "../../../shared/usecases/user-sync/handle-sync-request.js";
import type { ScheduledPresenceWork } from "../../../shared/usecases/user-sync/run-daily-sync.js";
import type { UserSyncConfig, UserSyncPorts } from "../../../shared/usecases/user-sync/user-sync-ports.js";
import { capturedLogger } from "../../support/captured-logger.js";

const message = (payload: unknown): BusMessage => ({
  id: "m1",
  data: Buffer.from(JSON.stringify(payload)),
  attributes: {},
  deliveryAttempt: 1,
  publishTime: new Date(),
});

/** Ports that fail if a tick touches users, channels or the dead-letter topic; the log lines it wrote. */
function tickPorts(): { ports: UserSyncPorts & { bus: Bus }; lines: Array<Record<string, unknown>> } {
  const untouchable = new Proxy(
    {},
    {
      get: (_t, name) => {
        throw new Error(`the reconcile tick must not use ${String(name)}`);
      },
    },
  );
  const { logger, lines } = capturedLogger("test");
  const ports = {
    directory: untouchable,
    threecx: untouchable,
    state: untouchable,
    clock: untouchable,
    mailer: untouchable,
    bus: untouchable,
    logger,
  } as unknown as UserSyncPorts & { bus: Bus };
  return { ports, lines };
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
      tickPorts().ports,
      {} as UserSyncConfig,
      { webhookUrl: "https://x", channelToken: "t" },
      presence,
    );
    expect(reconciled).toBe(1);
    expect(result).toEqual({ presence: { due: 1 } });
  });

  it("is acknowledged with a warning, never dead-lettered, where presence does not run", async () => {
    const { ports, lines } = tickPorts();
    const result = await handleSyncRequest(
      message({ trigger: "reconcilePresence" }),
      ports,
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

describe("sync requests: the daily digest", () => {
  it("runs only the digest where it is on", async () => {
    let digests = 0;
    const result = await handleSyncRequest(
      message({ trigger: "digest" }),
      tickPorts().ports,
      {} as UserSyncConfig,
      { webhookUrl: "https://x", channelToken: "t" },
      undefined,
      undefined,
      async () => ({ status: "done", n: ++digests }),
    );
    expect(digests).toBe(1);
    expect(result).toEqual({ digest: { status: "done", n: 1 } });
  });

  it("is acknowledged with a warning, never dead-lettered, where the digest is off", async () => {
    const { ports, lines } = tickPorts();
    const result = await handleSyncRequest(message({ trigger: "digest" }), ports, {} as UserSyncConfig, {
      webhookUrl: "https://x",
      channelToken: "t",
    });
    expect(result).toBeUndefined();
    expect(lines.map((l) => [l.event, l.severity])).toEqual([["mailDigestUnavailable", "WARNING"]]);
  });
});
