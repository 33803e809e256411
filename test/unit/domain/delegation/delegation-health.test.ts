import { describe, expect, it } from "vitest";
import {
  type DelegationHealth,
  type DelegationOutcome,
  healthAfter,
  REWRITE_UNCHANGED_AFTER_MS,
} from "../../../../shared/domain/delegation/delegation-health.js";
import {
  STALE_SUCCESS_AFTER_MS,
  scopeVerdict,
} from "../../../../shared/domain/delegation/delegation-verdict.js";

const ACCOUNT = "gw3cx-contacts@acme.iam.gserviceaccount.com";
const SCOPE = "https://www.googleapis.com/auth/contacts.readonly";
const T0 = new Date("2026-03-24T10:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

const success = (at: Date): DelegationOutcome => ({ ok: true, account: ACCOUNT, scope: SCOPE, at });
const refusal = (at: Date, reason = "unauthorized_client"): DelegationOutcome => ({
  ok: false,
  account: ACCOUNT,
  scope: SCOPE,
  at,
  refusal: { reason, step: "TOKEN_EXCHANGE", subject: "ada@example.com", message: `refused (${reason})` },
});

/** Applies outcomes in order as a recorder would, returning how many writes they caused. */
function writesFor(outcomes: DelegationOutcome[]): { writes: number; last: DelegationHealth | undefined } {
  let stored: DelegationHealth | undefined;
  let writes = 0;
  for (const outcome of outcomes) {
    const next = healthAfter(stored, outcome);
    if (next) {
      stored = next;
      writes++;
    }
  }
  return { writes, last: stored };
}

describe("delegation health: when a token outcome is written", () => {
  it("writes the first outcome, then nothing for the same outcome within the hour", () => {
    const { writes, last } = writesFor([success(T0), success(later(60_000)), success(later(59 * 60_000))]);
    expect(writes).toBe(1);
    expect(last).toEqual({
      account: ACCOUNT,
      scope: SCOPE,
      lastSuccessAt: T0.toISOString(),
      last: "success",
      writtenAt: T0.toISOString(),
    });
  });

  it("writes an unchanged outcome again once an hour has gone by", () => {
    const { writes, last } = writesFor([success(T0), success(later(REWRITE_UNCHANGED_AFTER_MS))]);
    expect(writes).toBe(2);
    expect(last?.lastSuccessAt).toBe(later(REWRITE_UNCHANGED_AFTER_MS).toISOString());
  });

  it("writes at once when the outcome changes, keeping the last success beside the refusal", () => {
    const { writes, last } = writesFor([success(T0), refusal(later(1000)), refusal(later(2000))]);
    expect(writes).toBe(2);
    expect(last).toMatchObject({
      last: "refused",
      lastSuccessAt: T0.toISOString(),
      lastRefusal: {
        at: later(1000).toISOString(),
        reason: "unauthorized_client",
        subject: "ada@example.com",
      },
    });
    // Back to working: written at once, the refusal kept for the record.
    const healed = healthAfter(last, success(later(3000)));
    expect(healed).toMatchObject({ last: "success", lastSuccessAt: later(3000).toISOString() });
    expect(healed?.lastRefusal?.reason).toBe("unauthorized_client");
  });

  it("a refusal for another reason is a change", () => {
    expect(writesFor([refusal(T0), refusal(later(1000), "invalid_grant")]).writes).toBe(2);
  });

  it("keeps a long refusal message short", () => {
    const long = refusal(T0);
    if (!long.ok) long.refusal.message = "x".repeat(5000);
    expect(healthAfter(undefined, long)?.lastRefusal?.message).toHaveLength(300);
  });
});

describe("delegation health: what doctor makes of a record", () => {
  const stored = (outcomes: DelegationOutcome[]) => writesFor(outcomes).last;

  it("nothing recorded is unused", () => {
    expect(scopeVerdict(undefined, T0)).toEqual({ state: "unused" });
  });

  it("a recent success works; one older than the threshold is stale", () => {
    expect(scopeVerdict(stored([success(T0)]), later(STALE_SUCCESS_AFTER_MS))).toMatchObject({
      state: "working",
    });
    expect(scopeVerdict(stored([success(T0)]), later(STALE_SUCCESS_AFTER_MS + 1))).toMatchObject({
      state: "stale",
      lastSuccessAt: T0.toISOString(),
    });
  });

  it("a refusal after the last success is refused; invalid_grant is about the subject", () => {
    expect(scopeVerdict(stored([success(T0), refusal(later(1000))]), later(2000))).toMatchObject({
      state: "refused",
      lastSuccessAt: T0.toISOString(),
      refusal: { reason: "unauthorized_client" },
    });
    expect(scopeVerdict(stored([refusal(T0, "invalid_grant")]), later(2000))).toMatchObject({
      state: "subjectRefused",
      refusal: { subject: "ada@example.com" },
    });
    expect(scopeVerdict(stored([refusal(T0), success(later(1000))]), later(2000)).state).toBe("working");
  });
});
