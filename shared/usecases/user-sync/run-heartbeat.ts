import type { Clock } from "../../ports/clock.js";

/** Where a run's beats are written: user sync and personal-contact runs each keep their own records. */
export interface RunBeats {
  beat(runId: string, at: Date): Promise<void>;
}

/** How long a run may go without a heartbeat before readers count it as abandoned (its process died). */
export const DEFAULT_RUN_LAPSE_MS = 120_000;

/** Beats per lapse: a run misses several before it looks abandoned, e.g. through a slow state write. */
const BEATS_PER_LAPSE = 4;

/**
 * A running run's sign of life. The run is recorded with its first beat and the lapse it promises;
 * while it runs the heartbeat is renewed every quarter of that lapse. A process killed mid-run
 * (kill -9, an instance torn down) stops beating, and readers derive "abandoned" from the lapsed
 * heartbeat (run-liveness.ts): nothing has to be written for a run that can no longer write.
 */
export class RunHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly runs: RunBeats,
    private readonly clock: Clock,
    private readonly lapseMs: number = DEFAULT_RUN_LAPSE_MS,
    /** A failed beat is only reported: the run itself goes on, and the next beat may succeed. */
    private readonly onBeatFailed: (error: unknown) => void = () => undefined,
  ) {}

  /** What the run is recorded with when it starts. */
  firstBeat(): { heartbeatAt: string; heartbeatLapseMs: number } {
    return { heartbeatAt: this.clock.now().toISOString(), heartbeatLapseMs: this.lapseMs };
  }

  /** Renews the run's heartbeat until stop(); never keeps the process alive by itself. */
  start(runId: string): void {
    this.stop();
    this.timer = setInterval(
      () => {
        this.runs.beat(runId, this.clock.now()).catch(this.onBeatFailed);
      },
      Math.max(1, Math.floor(this.lapseMs / BEATS_PER_LAPSE)),
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
