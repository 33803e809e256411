import type { DispatchRecord, StoredQueue, StoredTask } from "./model.js";
import { mayRetry, retryDelayMs } from "./queue-config.js";

/** Node timers take at most 2^31-1 ms; a task 30 days out is reached through hourly wake-ups. */
const MAX_TIMER_MS = 3_600_000;

export interface DispatcherHooks {
  /** The task is finished (answered 2xx, or out of attempts): its name becomes reserved. */
  retire(queue: StoredQueue, task: StoredTask): void;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/**
 * An OIDC token shaped like the one Cloud Tasks mints (Google's issuer, the audience and the
 * account's email), not signed by Google: the stand-in has no key Google trusts. Receivers in tests
 * read its claims; Cloud Run, which verifies it in production, is not in the loop here.
 */
export function standInIdToken(oidc: { serviceAccountEmail: string; audience: string }, now: number): string {
  const iat = Math.floor(now / 1000);
  const claims = {
    aud: oidc.audience,
    azp: oidc.serviceAccountEmail,
    email: oidc.serviceAccountEmail,
    email_verified: true,
    exp: iat + 3600,
    iat,
    iss: "https://accounts.google.com",
    sub: oidc.serviceAccountEmail,
  };
  return `${base64url({ alg: "RS256", kid: "cloud-tasks-stand-in", typ: "JWT" })}.${base64url(claims)}.c3RhbmQtaW4`;
}

/**
 * Sends each task's HTTP request at its schedule time, never before, within each queue's rate
 * limits (token bucket, concurrent dispatches); a non-2xx answer, no answer within the dispatch
 * deadline, or a network failure is retried per the queue's RetryConfig. One timer serves all
 * queues: it is armed for the earliest due task (or the next token).
 */
export class Dispatcher {
  readonly records: DispatchRecord[] = [];
  /**
   * Origin -> origin: where a task URL's host really answers. Plays Cloud Run's front end, so a
   * task addressed to a function's https://NAME-NUMBER.REGION.run.app reaches the process serving
   * it on loopback; the task, its record and its OIDC audience keep the URL as created.
   */
  readonly routes = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly queues: Map<string, StoredQueue>,
    private readonly hooks: DispatcherHooks,
  ) {}

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Dispatches what is due now and arms the timer for what comes next. */
  pump(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const queue of this.queues.values()) next = Math.min(next, this.pumpQueue(queue, now));
    if (next === Number.POSITIVE_INFINITY) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now()));
    this.timer = setTimeout(() => this.pump(), wait);
  }

  /** Returns when this queue next needs attention. */
  private pumpQueue(queue: StoredQueue, now: number): number {
    const { config } = queue;
    queue.tokens = Math.min(
      config.maxBurstSize,
      queue.tokens + ((now - queue.refilledAt) / 1000) * config.maxDispatchesPerSecond,
    );
    queue.refilledAt = now;
    const waiting = [...queue.tasks.values()].filter((t) => !t.running);
    const due = waiting.filter((t) => t.scheduleTime <= now).sort((a, b) => a.scheduleTime - b.scheduleTime);
    let next = Math.min(...waiting.filter((t) => t.scheduleTime > now).map((t) => t.scheduleTime));
    for (const task of due) {
      if (queue.inFlight >= config.maxConcurrentDispatches) break; // a finishing attempt pumps again
      if (queue.tokens < 1) {
        next = Math.min(next, now + Math.ceil(((1 - queue.tokens) / config.maxDispatchesPerSecond) * 1000));
        break;
      }
      queue.tokens -= 1;
      void this.attempt(queue, task);
    }
    return next;
  }

  private routed(url: string): string {
    const parsed = new URL(url);
    const to = this.routes.get(parsed.origin);
    return to ? `${to}${parsed.pathname}${parsed.search}` : url;
  }

  private async attempt(queue: StoredQueue, task: StoredTask): Promise<void> {
    const dispatchedAt = Date.now();
    task.running = true;
    queue.inFlight++;
    task.dispatchCount++;
    const attemptInfo = { scheduleTime: task.scheduleTime, dispatchTime: dispatchedAt };
    task.firstAttempt ??= attemptInfo;
    task.lastAttempt = { ...attemptInfo };
    const record: DispatchRecord = {
      task: task.name,
      queue: queue.name,
      url: task.url,
      attempt: task.dispatchCount,
      scheduledFor: task.scheduleTime,
      dispatchedAt,
      latenessMs: dispatchedAt - task.scheduleTime,
      outcome: "network",
    };
    this.records.push(record);
    let outcome: DispatchRecord["outcome"];
    try {
      const response = await fetch(this.routed(task.url), {
        method: task.httpMethod,
        headers: this.headersOf(queue, task, dispatchedAt),
        ...(task.body.length > 0 ? { body: task.body } : {}),
        signal: AbortSignal.timeout(task.dispatchDeadlineMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      outcome = response.status;
    } catch (error) {
      outcome = (error as Error).name === "TimeoutError" ? "deadline" : "network";
    }
    const answeredAt = Date.now();
    record.outcome = outcome;
    if (typeof outcome === "number") {
      record.answeredAt = answeredAt;
      task.responseCount++;
      task.previousResponse = outcome;
    }
    task.lastAttempt.responseTime = answeredAt;
    task.lastAttempt.responseStatus =
      typeof outcome === "number" && outcome >= 200 && outcome < 300
        ? { code: 0, message: "OK" }
        : { code: outcome === "deadline" ? 4 : 14, message: `attempt failed: ${outcome}` };
    task.running = false;
    queue.inFlight--;
    // Deleted while in flight: nothing more to do for it.
    if (queue.tasks.get(task.name) !== task) return this.pump();
    const succeeded = typeof outcome === "number" && outcome >= 200 && outcome < 300;
    const firstAttemptAt = task.firstAttempt.dispatchTime;
    if (succeeded || !mayRetry(queue.config, task.dispatchCount, firstAttemptAt, answeredAt)) {
      this.hooks.retire(queue, task);
    } else {
      task.scheduleTime = answeredAt + retryDelayMs(queue.config, task.dispatchCount);
    }
    this.pump();
  }

  private headersOf(queue: StoredQueue, task: StoredTask, now: number): Record<string, string> {
    const headers: Record<string, string> = {
      ...task.headers,
      "User-Agent": "Google-Cloud-Tasks",
      "X-CloudTasks-QueueName": queue.name.split("/").pop() ?? queue.name,
      "X-CloudTasks-TaskName": task.name.split("/").pop() ?? task.name,
      "X-CloudTasks-TaskRetryCount": String(task.dispatchCount - 1),
      "X-CloudTasks-TaskExecutionCount": String(task.responseCount),
      "X-CloudTasks-TaskETA": (task.scheduleTime / 1000).toFixed(6),
    };
    if (task.previousResponse !== undefined)
      headers["X-CloudTasks-TaskPreviousResponse"] = String(task.previousResponse);
    if (task.body.length > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["Content-Type"] = "application/octet-stream";
    if (task.oidc) headers.Authorization = `Bearer ${standInIdToken(task.oidc, now)}`;
    return headers;
  }
}
