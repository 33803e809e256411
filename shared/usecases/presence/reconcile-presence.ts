import pLimit from "p-limit";
import { applyPresence } from "./apply-presence.js";
import type { PresenceConfig, PresencePorts } from "./presence-ports.js";
import { PresenceStore } from "./presence-store.js";

/**
 * A boundary this far past is taken as lost: its wake-up would have come by now (the timers are at
 * most a few seconds late), so the tick does not race a timer that is merely firing.
 */
export const LOST_BOUNDARY_AFTER_MS = 10_000;
/** Boundaries read per tick; a tick that finds all of them due reads the next ones. */
const PAGE = 500;

export interface ReconcilePresenceResult {
  due: number;
  applied: number;
  busy: number;
  failed: number;
}

/**
 * The reconcile tick (every minute): applies every user whose stored next boundary has passed
 * without its wake-up, so a lost timer costs at most one tick. Reads only the earliest boundaries.
 */
export async function reconcilePresence(
  ports: PresencePorts,
  config: PresenceConfig,
  options: { concurrency?: number; lostAfterMs?: number } = {},
): Promise<ReconcilePresenceResult> {
  const result: ReconcilePresenceResult = { due: 0, applied: 0, busy: 0, failed: 0 };
  if (!config.calendarPresence) return result;
  const store = new PresenceStore(ports.state);
  const limit = pLimit(options.concurrency ?? 8);
  const cutoff = ports.clock.now().getTime() - (options.lostAfterMs ?? LOST_BOUNDARY_AFTER_MS);
  const seen = new Set<string>();
  for (;;) {
    // Users already tried in this tick stay first while their boundary is still due: read past them.
    const want = PAGE + seen.size;
    const earliest = await store.earliestBoundaries(want);
    const due = earliest.filter((b) => b.atMs <= cutoff && !seen.has(b.googleUserId));
    if (due.length === 0) break;
    for (const b of due) seen.add(b.googleUserId);
    result.due += due.length;
    await Promise.all(
      due.map((b) =>
        limit(async () => {
          ports.logger.event("presenceBoundaryLost", {
            googleUserId: b.googleUserId,
            at: new Date(b.atMs).toISOString(),
          });
          try {
            const applied = await applyPresence(ports, config, b.googleUserId);
            if (applied.status === "busy") result.busy++;
            else result.applied++;
          } catch (error) {
            result.failed++;
            ports.logger.event("presenceApplyFailed", { googleUserId: b.googleUserId, error });
          }
        }),
      ),
    );
    if (earliest.length < want) break;
  }
  return result;
}
