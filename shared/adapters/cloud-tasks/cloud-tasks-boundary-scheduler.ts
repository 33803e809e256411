import type { CloudTasksClient } from "@google-cloud/tasks";
import pRetry from "p-retry";
import {
  assertWakeUp,
  type BoundaryScheduler,
  BoundarySchedulerError,
  type BoundaryWakeUp,
} from "../../ports/boundary-scheduler.js";
import { boundaryTaskId, MAX_GENERATIONS } from "./boundary-task-id.js";

const GRPC = {
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** Worth another attempt: the call may not have reached Cloud Tasks, or it was refused for load. */
const TRANSIENT: ReadonlySet<number> = new Set([
  GRPC.DEADLINE_EXCEEDED,
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.INTERNAL,
  GRPC.UNAVAILABLE,
]);

/** Cloud Tasks refuses a schedule_time more than 30 days ahead. */
export const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3_600_000;

/**
 * A reserved name whose instant is past, or this close to now, is taken as "the task ran" and never
 * re-created, so a wake-up is not delivered twice. The margin covers the difference between this
 * machine's clock and Cloud Tasks' (both NTP-synchronised on Google Cloud: milliseconds apart).
 */
const CLOCK_SKEW_MARGIN_MS = 1_000;

export interface CloudTasksBoundarySchedulerOptions {
  projectId: string;
  /** The queue's region, e.g. europe-west1. */
  location: string;
  /** Queue id, e.g. gw3cx-presence-boundaries. */
  queue: string;
  /** The boundary function's HTTPS URL; the OIDC audience is its origin (the Cloud Run service URL). */
  boundaryUrl: string;
  /** The account Cloud Tasks mints the OIDC token as (the scheduler needs actAs on it). */
  invokerServiceAccountEmail: string;
  /** How long Cloud Tasks waits for the boundary function per attempt: 15 s to 30 min. */
  dispatchDeadlineSeconds?: number;
  /** Per call to Cloud Tasks. */
  callTimeoutMs?: number;
  now?: () => number;
}

type TasksClient = Pick<CloudTasksClient, "createTask" | "deleteTask" | "getTask">;

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** The JSON body the boundary function receives. */
export interface BoundaryTaskBody {
  googleUserId: string;
  at: number;
}

/**
 * BoundaryScheduler on Cloud Tasks: one HTTP task per wake-up, POSTing {googleUserId, at} to the
 * boundary function at `at` with an OIDC token. Task names are deterministic (boundary-task-id.ts),
 * so scheduling the same wake-up again, from any instance, is refused by Cloud Tasks with
 * ALREADY_EXISTS, which is success here. Cloud Tasks keeps an executed or deleted task's name
 * reserved for a while: that is what makes a wake-up run once, and why a wake-up cancelled and
 * asked for again gets the next generation's name.
 */
export class CloudTasksBoundaryScheduler implements BoundaryScheduler {
  private readonly queuePath: string;
  private readonly audience: string;
  private readonly now: () => number;

  constructor(
    private readonly client: TasksClient,
    private readonly options: CloudTasksBoundarySchedulerOptions,
  ) {
    for (const key of ["projectId", "location", "queue", "invokerServiceAccountEmail"] as const)
      if (!options[key])
        throw new BoundarySchedulerError(
          "INVALID_ARGUMENT",
          `${key} is required, got ${JSON.stringify(options[key])}`,
        );
    let url: URL;
    try {
      url = new URL(options.boundaryUrl);
    } catch (cause) {
      throw new BoundarySchedulerError(
        "INVALID_ARGUMENT",
        `boundaryUrl must be an http(s) URL, got ${JSON.stringify(options.boundaryUrl)}`,
        { cause },
      );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new BoundarySchedulerError(
        "INVALID_ARGUMENT",
        `boundaryUrl must be an http(s) URL, got ${JSON.stringify(options.boundaryUrl)}`,
      );
    const deadline = options.dispatchDeadlineSeconds ?? 60;
    if (!Number.isInteger(deadline) || deadline < 15 || deadline > 1800)
      throw new BoundarySchedulerError(
        "INVALID_ARGUMENT",
        `dispatchDeadlineSeconds must be an integer from 15 to 1800, got ${JSON.stringify(deadline)}`,
      );
    this.queuePath = `projects/${options.projectId}/locations/${options.location}/queues/${options.queue}`;
    this.audience = url.origin;
    this.now = options.now ?? Date.now;
  }

  private taskName(wakeUp: BoundaryWakeUp, generation: number): string {
    return `${this.queuePath}/tasks/${boundaryTaskId(wakeUp, generation)}`;
  }

  async schedule(wakeUp: BoundaryWakeUp): Promise<void> {
    assertWakeUp(wakeUp);
    const now = this.now();
    if (wakeUp.at > now + MAX_SCHEDULE_AHEAD_MS)
      throw new BoundarySchedulerError(
        "INVALID_ARGUMENT",
        `at ${new Date(wakeUp.at).toISOString()} is more than 30 days ahead; Cloud Tasks holds a task at most 30 days`,
      );
    for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
      const name = this.taskName(wakeUp, generation);
      if ((await this.create(name, wakeUp)) === "created") return;
      // The name is taken: by the live task (scheduled already), or reserved after it ran or was cancelled.
      if (await this.exists(name)) return;
      if (wakeUp.at <= this.now() + CLOCK_SKEW_MARGIN_MS) return;
      // Still ahead, so it cannot have run: it was cancelled, and is wanted again.
    }
    throw new BoundarySchedulerError(
      "UNAVAILABLE",
      `the wake-up of ${wakeUp.googleUserId} at ${new Date(wakeUp.at).toISOString()} was cancelled and asked for again ${MAX_GENERATIONS} times while Cloud Tasks keeps the names reserved; the reconcile tick applies it`,
    );
  }

  async cancel(wakeUp: BoundaryWakeUp): Promise<void> {
    assertWakeUp(wakeUp);
    // Any generation may be the live one; deleting one that does not exist is a no-op.
    await Promise.all(
      Array.from({ length: MAX_GENERATIONS }, (_, generation) =>
        this.call(`DeleteTask ${this.taskName(wakeUp, generation)}`, async () => {
          try {
            await this.client.deleteTask({ name: this.taskName(wakeUp, generation) }, this.callOptions());
          } catch (error) {
            if (grpcCode(error) !== GRPC.NOT_FOUND) throw error;
          }
        }),
      ),
    );
  }

  private async create(name: string, wakeUp: BoundaryWakeUp): Promise<"created" | "exists"> {
    const body: BoundaryTaskBody = { googleUserId: wakeUp.googleUserId, at: wakeUp.at };
    return this.call(`CreateTask ${name}`, async () => {
      try {
        await this.client.createTask(
          {
            parent: this.queuePath,
            task: {
              name,
              scheduleTime: { seconds: Math.floor(wakeUp.at / 1000), nanos: (wakeUp.at % 1000) * 1_000_000 },
              dispatchDeadline: { seconds: this.options.dispatchDeadlineSeconds ?? 60 },
              httpRequest: {
                httpMethod: "POST",
                url: this.options.boundaryUrl,
                headers: { "Content-Type": "application/json" },
                body: Buffer.from(JSON.stringify(body)),
                oidcToken: {
                  serviceAccountEmail: this.options.invokerServiceAccountEmail,
                  audience: this.audience,
                },
              },
            },
          },
          this.callOptions(),
        );
        return "created";
      } catch (error) {
        // A retry after a lost answer lands here too: the first attempt created it.
        if (grpcCode(error) === GRPC.ALREADY_EXISTS) return "exists";
        throw error;
      }
    });
  }

  private async exists(name: string): Promise<boolean> {
    return this.call(`GetTask ${name}`, async () => {
      try {
        await this.client.getTask({ name, responseView: "BASIC" }, this.callOptions());
        return true;
      } catch (error) {
        if (grpcCode(error) === GRPC.NOT_FOUND) return false;
        throw error;
      }
    });
  }

  private callOptions() {
    // google-gax would not retry CreateTask (not idempotent in general); retries are ours, below.
    return { timeout: this.options.callTimeoutMs ?? 10_000, retry: null };
  }

  /** Runs one Cloud Tasks call, retrying transient failures, and types what it finally throws. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await pRetry(run, {
        retries: 2,
        minTimeout: 100,
        factor: 4,
        shouldRetry: ({ error }) => TRANSIENT.has(grpcCode(error) ?? -1),
      });
    } catch (error) {
      const code = grpcCode(error);
      throw new BoundarySchedulerError(
        code === GRPC.INVALID_ARGUMENT ? "INVALID_ARGUMENT" : "UNAVAILABLE",
        `Cloud Tasks ${what} failed${code === undefined ? "" : ` (gRPC code ${code})`}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
}
