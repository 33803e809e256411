import { describe, expect, it } from "vitest";
import { renderRunSummary } from "../../../shared/cli/render/run-summary.js";
import type { SyncRun, SyncRunCounts } from "../../../shared/usecases/user-sync/sync-run-store.js";

const counts = (over: Partial<SyncRunCounts> = {}): SyncRunCounts => ({
  creates: 0,
  adoptions: 0,
  updates: 0,
  disables: 0,
  enables: 0,
  skips: 0,
  problems: 0,
  ...over,
});

const run = (over: Partial<SyncRun>): SyncRun => ({
  runId: "R1",
  trigger: "manual",
  status: "applied",
  startedAt: "2025-01-01T00:00:00.000Z",
  errors: [],
  ...over,
});

describe("gw3cx sync summary", () => {
  it("never says 'no changes' for users another worker held: it names how many were not applied", () => {
    const text = renderRunSummary(
      run({
        status: "failed",
        counts: counts({ creates: 3 }),
        applied: counts({ creates: 1 }),
        errors: [
          { googleId: "g2", action: "create", code: "USER_LEASED", message: "held" },
          { googleId: "g3", action: "create", code: "USER_LEASED", message: "held" },
        ],
      }),
    );
    expect(text).toContain("R1: failed");
    expect(text).toContain("1 created");
    expect(text).toContain("2 user(s) not applied: another worker held them");
    expect(text).not.toContain("error(s)");
  });

  it("without the plan, still counts what was left alone and what had problems", () => {
    const text = renderRunSummary(run({ applied: counts(), counts: counts({ skips: 4, problems: 1 }) }));
    expect(text).toContain("no changes");
    expect(text).toContain("4 left alone; 1 with problems");
  });

  it("says user sync is off and how to switch it on", () => {
    expect(renderRunSummary(run({ status: "off" }))).toContain(
      "User sync is off (syncUsers: false, $GW3CX_SYNC_USERS): nothing was read or written",
    );
  });
});
