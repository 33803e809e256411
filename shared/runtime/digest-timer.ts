import { nextDailyRun } from "../domain/status/next-daily-run.js";
import type { DigestPorts } from "../usecases/mail/daily-digest.js";
import {
  type ScheduledDigestConfig,
  type ScheduledDigestResult,
  sendScheduledDigest,
} from "../usecases/mail/scheduled-digest.js";

/** setTimeout's longest delay (about 24.8 days); a day fits, but a clock step could ask for more. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface DigestTimer {
  /** When the next digest is due, or undefined when the digest is off. */
  readonly nextAt: Date | undefined;
  close(): void;
}

/**
 * The single machine's stand-in for the digest's Cloud Scheduler job: one timer to the next
 * mail.digestTime (in timeZone, minute resolution as in the cloud), re-armed after each digest.
 * Time is read from the ports' clock, so a test can put the due time a moment ahead. A timer that
 * wakes before its time (the event loop's may) is re-armed for the rest: sending early would name
 * the day before, whose digest went out already. Never keeps the process alive by itself.
 */
export function startDigestTimer(
  ports: DigestPorts,
  config: ScheduledDigestConfig,
  onDone: (result: ScheduledDigestResult) => void = () => undefined,
): DigestTimer {
  let timer: NodeJS.Timeout | undefined;
  let nextAt: Date | undefined;
  let closed = false;
  const arm = () => {
    if (closed) return;
    const now = ports.clock.now().getTime();
    const due =
      nextAt && nextAt.getTime() > now
        ? nextAt.getTime()
        : nextDailyRun(config.digestTime, config.timeZone, now);
    nextAt = new Date(due);
    timer = setTimeout(fire, Math.min(Math.max(0, due - now), MAX_TIMEOUT_MS));
    timer.unref();
  };
  const fire = () => {
    if (closed) return;
    if (nextAt && ports.clock.now().getTime() < nextAt.getTime()) return arm();
    nextAt = undefined;
    sendScheduledDigest(ports, config)
      .then(onDone, (error: unknown) => ports.logger.event("mailDigestTimerFailed", { error }))
      .finally(arm);
  };
  if (config.enabled) arm();
  return {
    get nextAt() {
      return nextAt;
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
