import type { Clock } from "../../ports/clock.js";

/**
 * Spaces out calls to at most `perSecond` starts a second (at any concurrency), for bulk work against
 * a quota counted per minute: Calendar allows 10,000 requests a minute per project.
 */
export function pace(clock: Clock, perSecond: number): () => Promise<void> {
  const gapMs = 1000 / perSecond;
  let nextStart = 0;
  return async () => {
    const now = clock.now().getTime();
    const start = Math.max(now, nextStart);
    nextStart = start + gapMs;
    if (start > now) await clock.sleep(start - now);
  };
}
