import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DELIVERED_KEPT_MS,
  TimerBoundaryScheduler,
} from "../../../../shared/adapters/memory/timer-boundary-scheduler.js";
import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import type { BoundaryWakeUp } from "../../../../shared/ports/boundary-scheduler.js";

let state: SqliteStateStore;
beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2026-03-24T10:00:00Z") });
  state = new SqliteStateStore(":memory:");
});
afterEach(async () => {
  vi.useRealTimers();
  await state.close();
});

function scheduler(delivered: { wakeUp: BoundaryWakeUp; atMs: number }[], now?: () => number) {
  return new TimerBoundaryScheduler(
    state,
    async (wakeUp) => {
      delivered.push({ wakeUp, atMs: Date.now() });
    },
    now ? { now } : {},
  );
}

describe("TimerBoundaryScheduler (embedded)", () => {
  it("delivers each wake-up at its instant, once, however often it was scheduled", async () => {
    const delivered: { wakeUp: BoundaryWakeUp; atMs: number }[] = [];
    const s = scheduler(delivered);
    const at = Date.now() + 30_000;
    await s.schedule({ googleUserId: "g1", at });
    await s.schedule({ googleUserId: "g1", at });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(delivered).toEqual([{ wakeUp: { googleUserId: "g1", at }, atMs: at }]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(delivered).toHaveLength(1);
    // Asked for again after delivery (a late duplicate): reserved, so nothing more comes.
    await s.schedule({ googleUserId: "g1", at });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(delivered).toHaveLength(1);
    expect((await state.query("boundaryTimers")).map((d) => d.data)).toEqual([
      { googleUserId: "g1", at, deliveredAtMs: at },
    ]);
    s.close();
  });

  it("a cancelled wake-up never comes", async () => {
    const delivered: { wakeUp: BoundaryWakeUp; atMs: number }[] = [];
    const s = scheduler(delivered);
    const at = Date.now() + 1_000;
    await s.schedule({ googleUserId: "g1", at });
    await s.cancel({ googleUserId: "g1", at });
    await s.cancel({ googleUserId: "nobody", at });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(delivered).toEqual([]);
    s.close();
  });

  it("is never early: a timer that fires before the instant (by this clock) waits for the rest", async () => {
    const delivered: { wakeUp: BoundaryWakeUp; atMs: number }[] = [];
    // A clock 500 ms behind the timers' own: every timer fires "early" by it.
    const s = scheduler(delivered, () => Date.now() - 500);
    const at = Date.now() + 10_000;
    await s.schedule({ googleUserId: "g1", at });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(delivered.map((d) => d.wakeUp)).toEqual([{ googleUserId: "g1", at }]);
    s.close();
  });

  it("a restart re-arms the pending wake-ups from the state; one missed while stopped comes at once", async () => {
    const first: { wakeUp: BoundaryWakeUp; atMs: number }[] = [];
    const before = scheduler(first);
    const soon = Date.now() + 5_000;
    const later = Date.now() + 60_000;
    await before.schedule({ googleUserId: "g1", at: soon });
    await before.schedule({ googleUserId: "g2", at: later });
    before.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(first).toEqual([]);

    const delivered: { wakeUp: BoundaryWakeUp; atMs: number }[] = [];
    const after = scheduler(delivered);
    expect(await after.start()).toBe(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered.map((d) => d.wakeUp)).toEqual([{ googleUserId: "g1", at: soon }]);
    await vi.advanceTimersByTimeAsync(later - Date.now());
    expect(delivered.map((d) => d.wakeUp.googleUserId)).toEqual(["g1", "g2"]);
    expect(delivered[1]?.atMs).toBe(later);
    after.close();
  });

  it("retries a delivery the bus refused", async () => {
    let failures = 1;
    const delivered: BoundaryWakeUp[] = [];
    const s = new TimerBoundaryScheduler(state, async (w) => {
      if (failures-- > 0) throw new Error("bus closed");
      delivered.push(w);
    });
    const at = Date.now() + 1_000;
    await s.schedule({ googleUserId: "g1", at });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(delivered).toEqual([{ googleUserId: "g1", at }]);
    s.close();
  });

  it("keeps a delivered wake-up reserved for an hour, across a restart, then forgets it", async () => {
    const delivered: { wakeUp: BoundaryWakeUp; atMs: number }[] = [];
    const s = scheduler(delivered);
    const at = Date.now() + 1_000;
    await s.schedule({ googleUserId: "g1", at });
    await vi.advanceTimersByTimeAsync(1_000);
    s.close();
    const restarted = scheduler(delivered);
    expect(await restarted.start()).toBe(0);
    await restarted.schedule({ googleUserId: "g1", at });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(delivered).toHaveLength(1);
    // Past the hour, the next delivery clears the old reservation.
    await vi.advanceTimersByTimeAsync(DELIVERED_KEPT_MS);
    const next = Date.now() + 1_000;
    await restarted.schedule({ googleUserId: "g2", at: next });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await state.query("boundaryTimers")).map((d) => d.data.googleUserId)).toEqual(["g2"]);
    restarted.close();
  });

  it("refuses a wake-up with no user or no instant, naming the field", async () => {
    const s = scheduler([]);
    await expect(s.schedule({ googleUserId: "", at: Date.now() })).rejects.toThrow(/googleUserId/);
    await expect(s.cancel({ googleUserId: "g1", at: Number.NaN })).rejects.toThrow(/\bat\b/);
    s.close();
  });
});
