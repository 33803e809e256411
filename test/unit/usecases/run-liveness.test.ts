import { describe, expect, it } from "vitest";
import { isAbandoned, withLiveness } from "../../../shared/usecases/user-sync/run-liveness.js";
import type { SyncRun } from "../../../shared/usecases/user-sync/sync-run-store.js";

const run = (fields: Partial<SyncRun>): SyncRun => ({
  runId: "r1",
  trigger: "manual",
  status: "running",
  startedAt: "2026-01-01T10:00:00.000Z",
  errors: [],
  ...fields,
});
const at = (iso: string) => new Date(iso);

describe("a run's liveness, derived from its heartbeat", () => {
  it("a running run is abandoned only once its heartbeat is older than the lapse it recorded", () => {
    const beating = run({ heartbeatAt: "2026-01-01T10:05:00.000Z", heartbeatLapseMs: 60_000 });
    expect(isAbandoned(beating, at("2026-01-01T10:06:00.000Z"))).toBe(false);
    expect(isAbandoned(beating, at("2026-01-01T10:06:00.001Z"))).toBe(true);
    expect(withLiveness(beating, at("2026-01-01T10:07:00.000Z")).status).toBe("abandoned");
    expect(withLiveness(beating, at("2026-01-01T10:05:30.000Z")).status).toBe("running");
  });

  it("a finished run is never abandoned, however old", () => {
    for (const status of ["applied", "failed", "held", "planned", "approved"] as const)
      expect(
        isAbandoned(run({ status, heartbeatAt: "2026-01-01T10:00:00.000Z" }), at("2027-01-01T00:00:00Z")),
      ).toBe(false);
  });

  it("a run recorded before heartbeats existed counts from its start, with the default lapse of 2 minutes", () => {
    const old = run({});
    expect(isAbandoned(old, at("2026-01-01T10:02:00.000Z"))).toBe(false);
    expect(isAbandoned(old, at("2026-01-01T10:02:00.001Z"))).toBe(true);
  });
});
