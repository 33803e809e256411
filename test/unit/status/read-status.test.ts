import { afterEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { renderStatus } from "../../../shared/cli/render/status-tables.js";
import { DeadLetterSourceError } from "../../../shared/ports/dead-letters.js";
import { renderStatusPage } from "../../../shared/runtime/status-page/render-status-page.js";
import { readStatus } from "../../../shared/usecases/status/read-status.js";
import { type SyncRun, SyncRunStore } from "../../../shared/usecases/user-sync/sync-run-store.js";
import { LOCAL_DEMO_STATUS, readLocalStatus } from "../../support/read-local-status.js";

let state: SqliteStateStore;
afterEach(async () => {
  await state?.close();
});

const NOW = Date.parse("2026-03-24T10:00:00Z");
const run = (
  runId: string,
  trigger: SyncRun["trigger"],
  status: SyncRun["status"],
  minutesAgo: number,
  extra: Partial<SyncRun> = {},
): SyncRun => ({
  runId,
  trigger,
  status,
  startedAt: new Date(NOW - minutesAgo * 60_000).toISOString(),
  errors: [],
  ...extra,
});

describe("the status model", () => {
  it("has the latest run of each kind, the failed and abandoned ones, durations and problem counts", async () => {
    state = new SqliteStateStore(":memory:");
    const runs = new SyncRunStore(state);
    await runs.start(
      run("d2", "daily", "applied", 60, { finishedAt: new Date(NOW - 58 * 60_000).toISOString() }),
    );
    await runs.start(
      run("d1", "daily", "failed", 24 * 60, {
        errors: [{ action: "read", code: "THREECX_UNREACHABLE", message: "no PBX" }],
      }),
    );
    await runs.start(
      run("m1", "manual", "running", 30, {
        heartbeatAt: new Date(NOW - 20 * 60_000).toISOString(),
        heartbeatLapseMs: 120_000,
      }),
    );
    await runs.start(
      run("m0", "manual", "applied", 90, {
        finishedAt: new Date(NOW - 89 * 60_000).toISOString(),
        counts: { creates: 1, adoptions: 0, updates: 2, disables: 0, enables: 0, skips: 3, problems: 2 },
      }),
    );
    const status = await readLocalStatus(state, new Date(NOW));
    expect(status.lastRuns.map((r) => [r.trigger, r.runId, r.status])).toEqual([
      ["daily", "d2", "applied"],
      ["manual", "m1", "abandoned"],
    ]);
    expect(status.attention.map((r) => r.runId).sort()).toEqual(["d1", "m1"]);
    expect(status.runs.find((r) => r.runId === "d2")).toMatchObject({
      durationMs: 120_000,
      started: { relative: "1 h ago" },
    });
    expect(status.runs.find((r) => r.runId === "m0")?.problems).toBe(2);
    expect(status.runs.find((r) => r.runId === "d1")?.problems).toBe(1);
    expect(status.nextNightlyRun).toEqual({
      time: { at: "2026-03-25T02:00:00.000Z", local: "Wed 25 Mar, 02:00 UTC", relative: "in 16 h" },
      scheduled: false,
    });
    expect(renderStatus(status)).toContain("Next nightly run: Wed 25 Mar, 02:00 UTC (in 16 h)");
  });

  it("still answers when the dead letters cannot be read, saying why", async () => {
    state = new SqliteStateStore(":memory:");
    const failing = {
      summarize: async () => {
        throw new DeadLetterSourceError("cannot read the dead letters of gw3cx-directory-changes");
      },
    };
    const status = await readStatus({ state, deadLetters: failing }, LOCAL_DEMO_STATUS, new Date(NOW));
    expect(status.deadLetters).toEqual({
      unavailable: "cannot read the dead letters of gw3cx-directory-changes",
    });
    expect(renderStatusPage(status)).toContain(
      "Could not read the dead letters: cannot read the dead letters",
    );
  });

  it("shows a contributed section only when it has data, escaped on the page", async () => {
    state = new SqliteStateStore(":memory:");
    const deadLetters = { summarize: async () => [] };
    const contacts = async () => ({
      id: "contacts",
      title: "Personal contacts",
      columns: ["user", "contacts"],
      rows: [["<b>ada</b>", "12"]],
    });
    const none = async () => undefined;
    const status = await readStatus(
      { state, deadLetters, sections: [contacts, none] },
      LOCAL_DEMO_STATUS,
      new Date(NOW),
    );
    expect(status.sections.map((s) => s.id)).toEqual(["contacts"]);
    const page = renderStatusPage(status);
    expect(page).toContain('<h2 id="section-contacts">Personal contacts</h2>');
    expect(page).toContain("&lt;b&gt;ada&lt;/b&gt;");
    expect(renderStatus(status)).toContain("Personal contacts (1):");
  });
});
