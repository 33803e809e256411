import type { QueueConfig } from "./queue-config.js";

/** An HTTP task as the stand-in keeps it. Instants are epoch milliseconds. */
export interface StoredTask {
  /** projects/P/locations/L/queues/Q/tasks/T */
  name: string;
  queueName: string;
  url: string;
  httpMethod: string;
  headers: Record<string, string>;
  body: Buffer;
  oidc?: { serviceAccountEmail: string; audience: string };
  /** When the next attempt is due (moves on each retry). */
  scheduleTime: number;
  /** The instant the task was created for: lateness is measured from it on the first attempt. */
  createTime: number;
  dispatchDeadlineMs: number;
  dispatchCount: number;
  responseCount: number;
  firstAttempt?: { scheduleTime: number; dispatchTime: number };
  lastAttempt?: {
    scheduleTime: number;
    dispatchTime: number;
    responseTime?: number;
    responseStatus?: { code: number; message: string };
  };
  /** An attempt is in flight. */
  running: boolean;
  /** The last attempt's HTTP status, sent back as X-CloudTasks-TaskPreviousResponse. */
  previousResponse?: number;
}

export interface StoredQueue {
  name: string;
  config: QueueConfig;
  tasks: Map<string, StoredTask>;
  /** Token bucket of the rate limit. */
  tokens: number;
  refilledAt: number;
  inFlight: number;
}

/** One attempt, as the stand-in saw it: what the lateness figures are made of. */
export interface DispatchRecord {
  task: string;
  queue: string;
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** When this attempt was due (the task's schedule time, then each retry's). */
  scheduledFor: number;
  dispatchedAt: number;
  /** dispatchedAt - scheduledFor; never negative. */
  latenessMs: number;
  /** HTTP status, or "deadline" / "network" when there was no answer. */
  outcome: number | "deadline" | "network";
  answeredAt?: number;
}
