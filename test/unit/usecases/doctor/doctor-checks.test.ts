import { describe, expect, it } from "vitest";
import { DelegationError } from "../../../../shared/adapters/google/delegation-error.js";
import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import { ChannelStore } from "../../../../shared/usecases/channels/channel-store.js";
import { channelChecks } from "../../../../shared/usecases/doctor/checks/channel-checks.js";
import { delegationCheck } from "../../../../shared/usecases/doctor/checks/delegation-check.js";
import type { DoctorConfig, DoctorPorts } from "../../../../shared/usecases/doctor/doctor-ports.js";

const NOW = new Date("2026-03-24T10:00:00Z");
const HOUR = 3_600_000;
const config = (over: Partial<DoctorConfig> = {}): DoctorConfig => ({
  adminSubject: "admin@example.com",
  serviceAccountEmail: "gw3cx@acme.iam.gserviceaccount.com",
  scopes: [
    { scope: "scope-a", neededFor: "user sync" },
    { scope: "scope-b", neededFor: "calendar presence" },
  ],
  apis: [],
  threecxSecretHint: "",
  syncUsers: true,
  syncPersonalContacts: false,
  calendarPresence: true,
  checkTimeoutMs: 1000,
  ...over,
});

function portsWith(tokens: (scopes: readonly string[]) => Promise<string>): DoctorPorts {
  return {
    state: new SqliteStateStore(":memory:"),
    deadLetters: { summarize: async () => [] },
    clock: { now: () => NOW, sleep: async () => {} },
    google: {
      tokens: { accessToken: (_subject, scopes) => tokens(scopes) },
    } as DoctorPorts["google"],
  };
}

describe("the delegation check", () => {
  it("names each refused scope and, without outputs, where to find the client id", async () => {
    const ports = portsWith(async (scopes) => {
      if (scopes[0] === "scope-b")
        throw new DelegationError("TOKEN_EXCHANGE", "NOT_AUTHORIZED", "refused", {
          reason: "unauthorized_client",
        });
      return "token";
    });
    const [result] = await delegationCheck.run(ports, config());
    expect(result).toMatchObject({
      status: "fail",
      found: "refused for admin@example.com: scope-b (calendar presence)",
    });
    expect(result?.fix).toContain(
      "add scope-b to the client id of gw3cx@acme.iam.gserviceaccount.com (`gw3cx setup --outputs FILE` prints it)",
    );
  });

  it("a signJwt refusal is about the account's own permission, not a scope", async () => {
    const ports = portsWith(async () => {
      throw new DelegationError(
        "SIGN_JWT",
        "NOT_AUTHORIZED",
        "signJwt on gw3cx@acme failed: Permission denied",
        {
          reason: "forbidden",
        },
      );
    });
    const [result] = await delegationCheck.run(ports, config());
    expect(result?.status).toBe("fail");
    expect(result?.fix).toContain("--role=roles/iam.serviceAccountTokenCreator");
  });
});

describe("the channel checks", () => {
  async function withDirectoryChannels(expiresInMs: number) {
    const ports = portsWith(async () => "token");
    const store = new ChannelStore(ports.state);
    for (const event of ["add", "update", "delete", "undelete"]) {
      await store.save({
        channelId: event,
        resourceId: event,
        kind: "directory",
        event,
        expiration: new Date(NOW.getTime() + (event === "update" ? expiresInMs : 48 * HOUR)),
        createdAt: NOW,
      });
    }
    return channelChecks.run(ports, config({ calendarPresence: false }));
  }

  it("passes with every event watched and a day to go", async () => {
    const [directory, calendar] = await withDirectoryChannels(24 * HOUR);
    expect(directory).toMatchObject({
      status: "pass",
      found: "4 live Directory channels; the first expires in 1 d",
    });
    expect(calendar?.status).toBe("skip");
  });

  it("warns when a channel is closer to expiry than the renewal tick lets it get", async () => {
    const [directory] = await withDirectoryChannels(2 * HOUR);
    expect(directory).toMatchObject({ status: "warn" });
    expect(directory?.found).toContain("one expires in 2 h: its renewal is overdue");
  });

  it("fails once a watched event has no live channel", async () => {
    const [directory] = await withDirectoryChannels(-1);
    expect(directory?.status).toBe("fail");
    expect(directory?.found).toContain("no live Directory channel for update (1 expired)");
  });
});
