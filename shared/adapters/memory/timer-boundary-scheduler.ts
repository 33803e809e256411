import type { Logger } from "../../logging/logger.js";
import { assertWakeUp, type BoundaryScheduler, type BoundaryWakeUp } from "../../ports/boundary-scheduler.js";
import type { StateStore } from "../../ports/state-store.js";

const TIMERS = "boundaryTimers";
/** setTimeout's longest delay (about 24.8 days); a later wake-up is re-armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** After a failed delivery (the bus refused it), try again this much later. */
const RETRY_MS = 1_000;
/**
 * A delivered wake-up's record is kept this long, so asking for it again delivers nothing (as Cloud
 * Tasks keeps an executed task's name reserved for about an hour).
 */
export const DELIVERED_KEPT_MS = 3_600_000;

interface StoredTimer extends Record<string, unknown> {
  googleUserId: string;
  at: number;
  /** Set once delivered: the record then only reserves the wake-up. */
  deliveredAtMs?: number;
}

/**
 * The single-machine BoundaryScheduler: one timer per wake-up, each recorded in the state store so
 * a restart re-arms what was pending (one whose time passed while stopped fires at once). A timer
 * never fires early: a wake-up that comes before its instant (the event loop's timers may) is
 * re-armed for the rest. Delivery is `deliver` (the runtime publishes to the calendar-changes
 * topic). A delivered wake-up stays recorded for an hour, so scheduling it again is a no-op, as on
 * Cloud Tasks; cancelling removes the record, so one cancelled and asked for again is delivered.
 */
export class TimerBoundaryScheduler implements BoundaryScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Delivered records in delivery order, removed from the state once past DELIVERED_KEPT_MS. */
  private readonly delivered: Array<{ id: string; atMs: number }> = [];
  private closed = false;

  constructor(
    private readonly state: StateStore,
    private readonly deliver: (wakeUp: BoundaryWakeUp) => Promise<void>,
    private readonly options: { logger?: Logger; now?: () => number } = {},
  ) {}

  /** Re-arms every recorded wake-up; call once whatever delivers them is listening. */
  async start(): Promise<number> {
    const stored = await this.state.query<StoredTimer>(TIMERS);
    let pending = 0;
    for (const { id, data } of stored) {
      if (data.deliveredAtMs === undefined) {
        this.arm({ googleUserId: data.googleUserId, at: data.at });
        pending++;
      } else this.delivered.push({ id, atMs: data.deliveredAtMs });
    }
    this.delivered.sort((a, b) => a.atMs - b.atMs);
    await this.forgetOldDeliveries();
    return pending;
  }

  async schedule(wakeUp: BoundaryWakeUp): Promise<void> {
    assertWakeUp(wakeUp);
    const id = timerId(wakeUp);
    if (this.timers.has(id)) return;
    const existing = await this.state.get<StoredTimer>(TIMERS, id);
    if (existing?.data.deliveredAtMs !== undefined) return;
    await this.state.set<StoredTimer>(TIMERS, id, { googleUserId: wakeUp.googleUserId, at: wakeUp.at });
    this.arm(wakeUp);
  }

  async cancel(wakeUp: BoundaryWakeUp): Promise<void> {
    assertWakeUp(wakeUp);
    const id = timerId(wakeUp);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    await this.state.delete(TIMERS, id);
  }

  /** Pending wake-ups in this process (tests, status). */
  pending(): BoundaryWakeUp[] {
    return [...this.timers.keys()].map((id) => {
      const cut = id.lastIndexOf("_");
      return { googleUserId: id.slice(0, cut), at: Number(id.slice(cut + 1)) };
    });
  }

  /** Stops every timer; the records stay for the next start. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private arm(wakeUp: BoundaryWakeUp, delayMs = wakeUp.at - this.now()): void {
    if (this.closed) return;
    const id = timerId(wakeUp);
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(() => void this.fire(wakeUp), Math.min(Math.max(delayMs, 0), MAX_TIMEOUT_MS));
    timer.unref();
    this.timers.set(id, timer);
  }

  private async forgetOldDeliveries(): Promise<void> {
    const cutoff = this.now() - DELIVERED_KEPT_MS;
    while (this.delivered.length > 0 && (this.delivered[0] as { atMs: number }).atMs < cutoff) {
      const { id } = this.delivered.shift() as { id: string };
      // Only if still a delivered record: it may have been cancelled and scheduled again since.
      const record = await this.state.get<StoredTimer>(TIMERS, id);
      if (record?.data.deliveredAtMs !== undefined) await this.state.delete(TIMERS, id);
    }
  }

  private async fire(wakeUp: BoundaryWakeUp): Promise<void> {
    const id = timerId(wakeUp);
    if (this.now() < wakeUp.at) {
      this.arm(wakeUp);
      return;
    }
    try {
      await this.deliver(wakeUp);
      this.timers.delete(id);
      const deliveredAtMs = this.now();
      await this.state.set<StoredTimer>(TIMERS, id, { ...wakeUp, deliveredAtMs });
      this.delivered.push({ id, atMs: deliveredAtMs });
      await this.forgetOldDeliveries();
    } catch (error) {
      this.options.logger?.event("presenceBoundaryScheduleFailed", {
        googleUserId: wakeUp.googleUserId,
        error,
      });
      this.arm(wakeUp, RETRY_MS);
    }
  }
}

function timerId(wakeUp: BoundaryWakeUp): string {
  return `${wakeUp.googleUserId}_${wakeUp.at}`;
}
