import { describe, expect, it } from "vitest";
import type { AccessTokenProvider } from "../../../shared/adapters/google/delegation.js";
import { DelegationError } from "../../../shared/adapters/google/delegation-error.js";
import { DelegationHealthRecorder } from "../../../shared/adapters/google/delegation-health-recorder.js";
import { RecordedDelegation } from "../../../shared/adapters/google/recorded-delegation.js";
import type { DelegationHealth } from "../../../shared/domain/delegation/delegation-health.js";
import type { Logger } from "../../../shared/logging/logger.js";
import type { DelegationHealthStore } from "../../../shared/ports/delegation-health.js";

const ACCOUNT = "gw3cx-presence-worker@acme.iam.gserviceaccount.com";
const CALENDAR = "https://www.googleapis.com/auth/calendar.events.readonly";
const USERS = "https://www.googleapis.com/auth/admin.directory.user.readonly";

/** A store in memory that counts its reads and writes and can be made slow or failing. */
function memoryStore(behaviour: { put?: () => Promise<void> } = {}) {
  const records = new Map<string, DelegationHealth>();
  const counts = { get: 0, put: 0 };
  const store: DelegationHealthStore = {
    async get(account, scope) {
      counts.get++;
      return records.get(`${account} ${scope}`);
    },
    async put(health) {
      counts.put++;
      await behaviour.put?.();
      records.set(`${health.account} ${health.scope}`, health);
    },
    async list() {
      return [...records.values()];
    },
  };
  return { store, records, counts };
}

function tokensThatAnswer(answer: (scopes: readonly string[]) => Promise<string>): AccessTokenProvider {
  return { accessToken: (_subject, scopes) => answer(scopes), invalidate: () => {} };
}

const unauthorized = () =>
  new DelegationError(
    "TOKEN_EXCHANGE",
    "NOT_AUTHORIZED",
    "token exchange refused (unauthorized_client): no",
    {
      reason: "unauthorized_client",
      status: 401,
    },
  );

function clockAt(start: string) {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe("RecordedDelegation: the functions' token path notes each outcome for doctor", () => {
  it("records a success per scope, once, however often the token is handed out within the hour", async () => {
    const { store, records, counts } = memoryStore();
    const clock = clockAt("2026-03-24T10:00:00Z");
    const recorder = new DelegationHealthRecorder(store);
    const tokens = new RecordedDelegation(
      tokensThatAnswer(async () => "token"),
      ACCOUNT,
      recorder,
      clock.now,
    );
    for (let i = 0; i < 50; i++) {
      await tokens.accessToken("ada@example.com", [CALENDAR]);
      await recorder.settled();
      clock.advance(60_000);
    }
    await tokens.accessToken("ada@example.com", [USERS]);
    await recorder.settled();
    // 50 minutes of calendar tokens: one write; the directory scope its own record.
    expect(counts.put).toBe(2);
    expect(records.get(`${ACCOUNT} ${CALENDAR}`)).toMatchObject({
      last: "success",
      lastSuccessAt: "2026-03-24T10:00:00.000Z",
    });
    clock.advance(10 * 60_000);
    await tokens.accessToken("ada@example.com", [CALENDAR]);
    await recorder.settled();
    expect(counts.put).toBe(3);
  });

  it("records Google's refusal with its reason and subject, and still throws it to the caller", async () => {
    const { store, records } = memoryStore();
    const recorder = new DelegationHealthRecorder(store);
    const tokens = new RecordedDelegation(
      tokensThatAnswer(async () => {
        throw unauthorized();
      }),
      ACCOUNT,
      recorder,
    );
    await expect(tokens.accessToken("ada@example.com", [CALENDAR])).rejects.toMatchObject({
      code: "DELEGATION_TOKEN_EXCHANGE_FAILED",
    });
    await recorder.settled();
    expect(records.get(`${ACCOUNT} ${CALENDAR}`)).toMatchObject({
      last: "refused",
      lastRefusal: { reason: "unauthorized_client", step: "TOKEN_EXCHANGE", subject: "ada@example.com" },
    });
  });

  it("does not record a failure that says nothing about the grant (Google unreachable)", async () => {
    const { store, counts } = memoryStore();
    const recorder = new DelegationHealthRecorder(store);
    const tokens = new RecordedDelegation(
      tokensThatAnswer(async () => {
        throw new DelegationError("TOKEN_EXCHANGE", "UNAVAILABLE", "the OAuth token endpoint did not answer");
      }),
      ACCOUNT,
      recorder,
    );
    await expect(tokens.accessToken("ada@example.com", [CALENDAR])).rejects.toThrow(/did not answer/);
    await recorder.settled();
    expect(counts).toEqual({ get: 0, put: 0 });
  });

  it("hands the token out without waiting for a slow write", async () => {
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { store, records } = memoryStore({ put: () => stuck });
    const recorder = new DelegationHealthRecorder(store);
    const tokens = new RecordedDelegation(
      tokensThatAnswer(async () => "token"),
      ACCOUNT,
      recorder,
    );
    await expect(tokens.accessToken("ada@example.com", [CALENDAR])).resolves.toBe("token");
    expect(records.size).toBe(0);
    release();
    await recorder.settled();
    expect(records.size).toBe(1);
  });

  it("logs a failed write and never fails the call; the next outcome tries again", async () => {
    let failing = true;
    const { store, records } = memoryStore({
      put: async () => {
        if (failing) throw new Error("Firestore unavailable");
      },
    });
    const logged: Array<{ name: string; fields?: Record<string, unknown> }> = [];
    const logger = {
      event: (name: string, fields?: Record<string, unknown>) => logged.push({ name, fields }),
    };
    const recorder = new DelegationHealthRecorder(store, logger as unknown as Logger);
    const tokens = new RecordedDelegation(
      tokensThatAnswer(async () => "token"),
      ACCOUNT,
      recorder,
    );
    await expect(tokens.accessToken("ada@example.com", [CALENDAR])).resolves.toBe("token");
    await recorder.settled();
    expect(logged).toMatchObject([
      { name: "googleDelegationHealthNotRecorded", fields: { account: ACCOUNT, scope: CALENDAR } },
    ]);
    failing = false;
    await tokens.accessToken("ada@example.com", [CALENDAR]);
    await recorder.settled();
    expect(records.get(`${ACCOUNT} ${CALENDAR}`)?.last).toBe("success");
  });

  it("a new instance reads what is stored instead of rewriting an unchanged record", async () => {
    const { store, counts } = memoryStore();
    const clock = clockAt("2026-03-24T10:00:00Z");
    const first = new DelegationHealthRecorder(store);
    await new RecordedDelegation(
      tokensThatAnswer(async () => "t"),
      ACCOUNT,
      first,
      clock.now,
    ).accessToken("ada@example.com", [CALENDAR]);
    await first.settled();
    clock.advance(5 * 60_000);
    const coldStart = new DelegationHealthRecorder(store);
    await new RecordedDelegation(
      tokensThatAnswer(async () => "t"),
      ACCOUNT,
      coldStart,
      clock.now,
    ).accessToken("bob@example.com", [CALENDAR]);
    await coldStart.settled();
    expect(counts).toEqual({ get: 2, put: 1 });
  });

  it("writes a refusal and the success after it in the order they happened", async () => {
    let slowFirst = true;
    const { store, records } = memoryStore({
      put: async () => {
        if (slowFirst) {
          slowFirst = false;
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      },
    });
    const recorder = new DelegationHealthRecorder(store);
    let refuse = true;
    const tokens = new RecordedDelegation(
      tokensThatAnswer(async () => {
        if (refuse) throw unauthorized();
        return "token";
      }),
      ACCOUNT,
      recorder,
    );
    await expect(tokens.accessToken("ada@example.com", [CALENDAR])).rejects.toThrow();
    refuse = false;
    await tokens.accessToken("ada@example.com", [CALENDAR]);
    await recorder.settled();
    expect(records.get(`${ACCOUNT} ${CALENDAR}`)?.last).toBe("success");
  });
});
