import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isGw3cxError } from "../../../shared/errors.js";
import type { BoundaryScheduler, BoundaryWakeUp } from "../../../shared/ports/boundary-scheduler.js";
import { eventually } from "../../support/stand-ins.js";

/** A wake-up as the boundary handler received it. */
export interface Delivery extends BoundaryWakeUp {
  receivedAt: number;
}

export interface OpenScheduler {
  scheduler: BoundaryScheduler;
  /** Every wake-up delivered to the boundary handler so far, in arrival order. */
  deliveries: Delivery[];
  close(): Promise<void>;
}

export interface BoundarySchedulerUnderTest {
  name: string;
  /** A scheduler of its own (its own queue or state), wired to a recording boundary handler. */
  open: () => Promise<OpenScheduler>;
  /** How late one delivery may be (the p99 target is 5 s). */
  latenessBudgetMs: number;
}

const user = () => `user-${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "no error",
    (e: unknown) => (isGw3cxError(e) ? e.code : e),
  );
}

/**
 * What every BoundaryScheduler must do (shared/ports/boundary-scheduler.ts): deliver each wake-up
 * at its instant, never early, within the lateness budget; once however often it is asked for;
 * not at all once cancelled. Run against each adapter.
 */
export function describeBoundarySchedulerContract(subject: BoundarySchedulerUnderTest): void {
  describe(`BoundaryScheduler contract: ${subject.name}`, () => {
    const withScheduler = (run: (open: OpenScheduler) => Promise<void>) => async () => {
      const open = await subject.open();
      try {
        await run(open);
      } finally {
        await open.close();
      }
    };
    const of = (deliveries: Delivery[], googleUserId: string) =>
      deliveries.filter((d) => d.googleUserId === googleUserId);
    const waitFor = (deliveries: Delivery[], count: number, until: number) =>
      eventually(
        () => deliveries.length,
        (n) => n >= count,
        Math.max(0, until - Date.now()) + subject.latenessBudgetMs,
      );

    it(
      "delivers each wake-up at its instant: never early, within the lateness budget",
      withScheduler(async ({ scheduler, deliveries }) => {
        const base = Date.now() + 1_200;
        const wakeUps = [0, 300, 700].map((offset) => ({ googleUserId: user(), at: base + offset }));
        // Scheduled out of order: delivery follows the instants, not the calls.
        for (const wakeUp of [...wakeUps].reverse()) await scheduler.schedule(wakeUp);
        expect(deliveries).toEqual([]);
        await waitFor(deliveries, wakeUps.length, base + 700);
        expect(deliveries.map((d) => d.googleUserId)).toEqual(wakeUps.map((w) => w.googleUserId));
        for (const d of deliveries) {
          expect(d.receivedAt, `${d.googleUserId} delivered early`).toBeGreaterThanOrEqual(d.at);
          expect(d.receivedAt - d.at).toBeLessThanOrEqual(subject.latenessBudgetMs);
        }
        expect(deliveries.map(({ googleUserId, at }) => ({ googleUserId, at }))).toEqual(wakeUps);
      }),
    );

    it(
      "delivers a wake-up whose instant has passed at once",
      withScheduler(async ({ scheduler, deliveries }) => {
        const wakeUp = { googleUserId: user(), at: Date.now() - 2_000 };
        const asked = Date.now();
        await scheduler.schedule(wakeUp);
        await waitFor(deliveries, 1, asked);
        expect(deliveries).toHaveLength(1);
        expect((deliveries[0] as Delivery).receivedAt - asked).toBeLessThanOrEqual(subject.latenessBudgetMs);
      }),
    );

    it(
      "delivers a wake-up scheduled twice, or concurrently, once",
      withScheduler(async ({ scheduler, deliveries }) => {
        const wakeUp = { googleUserId: user(), at: Date.now() + 1_000 };
        await scheduler.schedule(wakeUp);
        await Promise.all([scheduler.schedule({ ...wakeUp }), scheduler.schedule({ ...wakeUp })]);
        await waitFor(deliveries, 1, wakeUp.at);
        await sleep(700);
        expect(of(deliveries, wakeUp.googleUserId)).toHaveLength(1);
      }),
    );

    it(
      "does not deliver a wake-up again when it is scheduled again after delivery",
      withScheduler(async ({ scheduler, deliveries }) => {
        const wakeUp = { googleUserId: user(), at: Date.now() + 500 };
        await scheduler.schedule(wakeUp);
        await waitFor(deliveries, 1, wakeUp.at);
        await scheduler.schedule(wakeUp);
        await sleep(700);
        expect(of(deliveries, wakeUp.googleUserId)).toHaveLength(1);
      }),
    );

    it(
      "drops a cancelled wake-up and keeps the others, the same user's other instants included",
      withScheduler(async ({ scheduler, deliveries }) => {
        const at = Date.now() + 1_000;
        const cancelled = { googleUserId: user(), at };
        const sameInstant = { googleUserId: user(), at };
        const sameUserLater = { googleUserId: cancelled.googleUserId, at: at + 200 };
        for (const w of [cancelled, sameInstant, sameUserLater]) await scheduler.schedule(w);
        await scheduler.cancel(cancelled);
        await waitFor(deliveries, 2, at + 200);
        await sleep(700);
        expect(deliveries.map(({ googleUserId, at }) => ({ googleUserId, at }))).toEqual([
          sameInstant,
          sameUserLater,
        ]);
      }),
    );

    it(
      "ignores the cancel of a wake-up it does not know, and of one already cancelled",
      withScheduler(async ({ scheduler, deliveries }) => {
        const wakeUp = { googleUserId: user(), at: Date.now() + 60_000 };
        await expect(scheduler.cancel(wakeUp)).resolves.toBeUndefined();
        await scheduler.schedule(wakeUp);
        await scheduler.cancel(wakeUp);
        await expect(scheduler.cancel(wakeUp)).resolves.toBeUndefined();
        expect(deliveries).toEqual([]);
      }),
    );

    it(
      "delivers, once, a wake-up cancelled and then asked for again",
      withScheduler(async ({ scheduler, deliveries }) => {
        const wakeUp = { googleUserId: user(), at: Date.now() + 2_500 };
        await scheduler.schedule(wakeUp);
        await scheduler.cancel(wakeUp);
        await scheduler.schedule(wakeUp);
        await scheduler.schedule(wakeUp);
        await waitFor(deliveries, 1, wakeUp.at);
        await sleep(700);
        expect(of(deliveries, wakeUp.googleUserId)).toHaveLength(1);
        expect((deliveries[0] as Delivery).receivedAt).toBeGreaterThanOrEqual(wakeUp.at);
      }),
    );

    it(
      "refuses a wake-up that names no user or no instant, saying which",
      withScheduler(async ({ scheduler }) => {
        for (const bad of [
          { googleUserId: "", at: Date.now() },
          { googleUserId: user(), at: Number.NaN },
          { googleUserId: user(), at: 1.5 },
        ]) {
          expect(await codeOf(scheduler.schedule(bad))).toBe("BOUNDARY_INVALID_ARGUMENT");
          expect(await codeOf(scheduler.cancel(bad))).toBe("BOUNDARY_INVALID_ARGUMENT");
        }
        await expect(scheduler.schedule({ googleUserId: "", at: 0 })).rejects.toThrow(/googleUserId/);
        await expect(scheduler.schedule({ googleUserId: "u", at: -1 })).rejects.toThrow(/\bat\b/);
      }),
    );
  });
}
