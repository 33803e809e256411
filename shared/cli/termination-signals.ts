import { constants } from "node:os";

/** The signals that ask a long-running `gw3cx start` to stop: Ctrl+C, npm/systemd/docker, a closed terminal. */
export const TERMINATION_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type TerminationSignal = (typeof TERMINATION_SIGNALS)[number];

/**
 * One stop request often arrives as several signals: Ctrl+C reaches both npm and its child, and
 * npm forwards it again; systemd signals every process of the unit. Repeats this soon after the
 * first are the same request.
 */
const REPEAT_WINDOW_MS = 1000;

/** 128 + the signal number: what a shell reports for a process the signal ended. */
export function signalExitCode(signal: TerminationSignal): number {
  return 128 + constants.signals[signal];
}

/**
 * Listens for the termination signals from now on. The first resolves the returned promise; a repeat within
 * a second is ignored; a later one (someone pressing Ctrl+C again because stopping hangs) exits at
 * once with 128 + the signal number, as a shell reports a process killed by it. The listeners stay
 * for the life of the process (they do not keep it alive), so a late repeat of the same request
 * never kills it halfway through stopping.
 */
export function watchTerminationSignals(
  onForcedExit: (signal: TerminationSignal) => void = () => {},
): Promise<TerminationSignal> {
  let firstAt: number | undefined;
  let resolveReceived: (signal: TerminationSignal) => void = () => {};
  const received = new Promise<TerminationSignal>((resolve) => {
    resolveReceived = resolve;
  });
  const listener = (signal: TerminationSignal) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      resolveReceived(signal);
      return;
    }
    if (Date.now() - firstAt < REPEAT_WINDOW_MS) return;
    onForcedExit(signal);
    process.exit(signalExitCode(signal));
  };
  for (const signal of TERMINATION_SIGNALS) process.on(signal, listener);
  return received;
}
