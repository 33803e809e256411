import { randomBytes } from "node:crypto";
import type * as GrpcJs from "@grpc/grpc-js";
import { Dispatcher } from "./dispatcher.js";
import type { StoredQueue, StoredTask } from "./model.js";
import { burstSizeFor, DEFAULT_QUEUE_CONFIG, type QueueConfig } from "./queue-config.js";

/** Status codes (google.rpc.Code), as numbers to stay independent of a grpc-js copy. */
const CODE = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  UNIMPLEMENTED: 12,
} as const;

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/* Message shapes as proto-loader decodes them (camelCase, longs and enums as strings, unset = absent). */
interface Timestamp {
  seconds?: string;
  nanos?: number;
}
type Duration = Timestamp;
interface HttpRequestMessage {
  url?: string;
  httpMethod?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  oidcToken?: { serviceAccountEmail?: string; audience?: string };
  oauthToken?: unknown;
}
interface TaskMessage {
  name?: string;
  httpRequest?: HttpRequestMessage;
  appEngineHttpRequest?: unknown;
  scheduleTime?: Timestamp;
  dispatchDeadline?: Duration;
}
interface QueueMessage {
  name?: string;
  rateLimits?: { maxDispatchesPerSecond?: number; maxConcurrentDispatches?: number };
  retryConfig?: {
    maxAttempts?: number;
    maxRetryDuration?: Duration;
    minBackoff?: Duration;
    maxBackoff?: Duration;
    maxDoublings?: number;
  };
  httpTarget?: unknown;
  appEngineRoutingOverride?: unknown;
}

const PROJECT_LOCATION = /^projects\/[A-Za-z0-9.:-]+\/locations\/[A-Za-z0-9-]+$/;
const QUEUE_ID = /^[A-Za-z0-9-]{1,100}$/;
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3_600_000;
const HTTP_METHODS = new Set(["POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]);

const toMs = (t: Timestamp | undefined): number | undefined =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1_000_000) : undefined;
const toTimestamp = (ms: number): Timestamp => ({
  seconds: String(Math.floor(ms / 1000)),
  nanos: (ms % 1000) * 1_000_000,
});

export interface CloudTasksServiceOptions {
  /** How long an executed or deleted task's name stays reserved (Cloud Tasks: about an hour, up to 9 days). */
  nameReservationMs: number;
}

/**
 * The CloudTasks v2 service over the real protocol: queues (CreateQueue, GetQueue), HTTP tasks
 * (CreateTask, GetTask, DeleteTask, ListTasks) and their dispatch. A task name is unique while the
 * task lives and stays reserved for a while after it ran or was deleted, as in Cloud Tasks. What it
 * does not implement answers UNIMPLEMENTED naming what, never a silent default: App Engine tasks,
 * OAuth tokens, queue-level HTTP targets and routing, and the other RPCs.
 */
export class CloudTasksService {
  readonly queues = new Map<string, StoredQueue>();
  /** Task name -> until when it is reserved. */
  private readonly reserved = new Map<string, number>();
  readonly dispatcher: Dispatcher;

  constructor(private readonly options: CloudTasksServiceOptions) {
    this.dispatcher = new Dispatcher(this.queues, {
      retire: (queue, task) => this.retire(queue, task),
    });
  }

  private retire(queue: StoredQueue, task: StoredTask): void {
    queue.tasks.delete(task.name);
    this.reserved.set(task.name, Date.now() + this.options.nameReservationMs);
  }

  private isReserved(name: string): boolean {
    const until = this.reserved.get(name);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.reserved.delete(name);
    return false;
  }

  private queueOf(name: string | undefined): StoredQueue {
    const queue = name ? this.queues.get(name) : undefined;
    if (!queue) throw new RpcError(CODE.NOT_FOUND, `Queue ${name} does not exist.`);
    return queue;
  }

  createQueue(request: { parent?: string; queue?: QueueMessage }): QueueMessage {
    const { parent = "", queue = {} } = request;
    if (!PROJECT_LOCATION.test(parent))
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `parent must be projects/PROJECT/locations/LOCATION, got "${parent}"`,
      );
    const id = queue.name?.startsWith(`${parent}/queues/`) ? queue.name.slice(parent.length + 8) : "";
    if (!QUEUE_ID.test(id))
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `queue.name must be ${parent}/queues/QUEUE_ID, got "${queue.name}"`,
      );
    for (const field of ["httpTarget", "appEngineRoutingOverride"] as const)
      if (queue[field])
        throw new RpcError(CODE.UNIMPLEMENTED, `queue.${field} is not implemented by the stand-in`);
    if (this.queues.has(queue.name as string))
      throw new RpcError(CODE.ALREADY_EXISTS, `Queue ${queue.name} already exists.`);
    const config = this.configOf(queue);
    const stored: StoredQueue = {
      name: queue.name as string,
      config,
      tasks: new Map(),
      tokens: config.maxBurstSize,
      refilledAt: Date.now(),
      inFlight: 0,
    };
    this.queues.set(stored.name, stored);
    return this.queueMessage(stored);
  }

  private configOf(queue: QueueMessage): QueueConfig {
    const rate = queue.rateLimits ?? {};
    const retry = queue.retryConfig ?? {};
    const seconds = (d: Duration | undefined, fallback: number) =>
      d ? Math.floor(Number(d.seconds ?? 0)) * 1000 : fallback;
    const config: QueueConfig = {
      maxDispatchesPerSecond: rate.maxDispatchesPerSecond ?? DEFAULT_QUEUE_CONFIG.maxDispatchesPerSecond,
      maxBurstSize: 0,
      maxConcurrentDispatches: rate.maxConcurrentDispatches ?? DEFAULT_QUEUE_CONFIG.maxConcurrentDispatches,
      maxAttempts: retry.maxAttempts ?? DEFAULT_QUEUE_CONFIG.maxAttempts,
      maxRetryDurationMs: seconds(retry.maxRetryDuration, DEFAULT_QUEUE_CONFIG.maxRetryDurationMs),
      // Cloud Tasks truncates backoffs to whole seconds; the 0.1 s default applies only when unset.
      minBackoffMs: retry.minBackoff ? seconds(retry.minBackoff, 0) : DEFAULT_QUEUE_CONFIG.minBackoffMs,
      maxBackoffMs: seconds(retry.maxBackoff, DEFAULT_QUEUE_CONFIG.maxBackoffMs),
      maxDoublings: retry.maxDoublings ?? DEFAULT_QUEUE_CONFIG.maxDoublings,
    };
    config.maxBurstSize = burstSizeFor(config.maxDispatchesPerSecond);
    if (!(config.maxDispatchesPerSecond > 0 && config.maxDispatchesPerSecond <= 500))
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `rate_limits.max_dispatches_per_second must be in (0, 500], got ${config.maxDispatchesPerSecond}`,
      );
    if (!(config.maxConcurrentDispatches >= 1 && config.maxConcurrentDispatches <= 5000))
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `rate_limits.max_concurrent_dispatches must be in [1, 5000], got ${config.maxConcurrentDispatches}`,
      );
    if (config.maxAttempts < -1)
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `retry_config.max_attempts must be >= -1, got ${config.maxAttempts}`,
      );
    if (config.minBackoffMs > config.maxBackoffMs)
      throw new RpcError(CODE.INVALID_ARGUMENT, "retry_config.min_backoff must not exceed max_backoff");
    return config;
  }

  private queueMessage(queue: StoredQueue): Record<string, unknown> {
    const { config } = queue;
    const duration = (ms: number) => ({
      seconds: String(Math.floor(ms / 1000)),
      nanos: (ms % 1000) * 1_000_000,
    });
    return {
      name: queue.name,
      rateLimits: {
        maxDispatchesPerSecond: config.maxDispatchesPerSecond,
        maxBurstSize: config.maxBurstSize,
        maxConcurrentDispatches: config.maxConcurrentDispatches,
      },
      retryConfig: {
        maxAttempts: config.maxAttempts,
        maxRetryDuration: duration(config.maxRetryDurationMs),
        minBackoff: duration(config.minBackoffMs),
        maxBackoff: duration(config.maxBackoffMs),
        maxDoublings: config.maxDoublings,
      },
      state: "RUNNING",
    };
  }

  getQueue(request: { name?: string }): Record<string, unknown> {
    return this.queueMessage(this.queueOf(request.name));
  }

  createTask(request: {
    parent?: string;
    task?: TaskMessage;
    responseView?: string;
  }): Record<string, unknown> {
    const queue = this.queueOf(request.parent);
    const task = request.task ?? {};
    if (task.appEngineHttpRequest)
      throw new RpcError(CODE.UNIMPLEMENTED, "App Engine tasks are not implemented by the stand-in");
    const http = task.httpRequest;
    if (!http) throw new RpcError(CODE.INVALID_ARGUMENT, "task.http_request is required");
    let url: URL;
    try {
      url = new URL(http.url ?? "");
    } catch {
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `task.http_request.url must be an HTTP or HTTPS URL, got "${http.url ?? ""}"`,
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `task.http_request.url must be an HTTP or HTTPS URL, got "${http.url}"`,
      );
    if (http.oauthToken)
      throw new RpcError(
        CODE.UNIMPLEMENTED,
        "task.http_request.oauth_token is not implemented by the stand-in",
      );
    const method =
      !http.httpMethod || http.httpMethod === "HTTP_METHOD_UNSPECIFIED" ? "POST" : http.httpMethod;
    if (!HTTP_METHODS.has(method))
      throw new RpcError(CODE.INVALID_ARGUMENT, `task.http_request.http_method ${method} is not allowed`);
    const body = http.body ?? Buffer.alloc(0);
    if (body.length > 0 && !["POST", "PUT", "PATCH"].includes(method))
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `a body is allowed only with POST, PUT or PATCH, not ${method}`,
      );
    if (http.oidcToken && !/^[^@\s]+@[^@\s]+$/.test(http.oidcToken.serviceAccountEmail ?? ""))
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `task.http_request.oidc_token.service_account_email must be a service account email, got "${http.oidcToken.serviceAccountEmail ?? ""}"`,
      );

    let name = task.name;
    if (name) {
      const prefix = `${queue.name}/tasks/`;
      if (!name.startsWith(prefix) || !TASK_ID.test(name.slice(prefix.length)))
        throw new RpcError(
          CODE.INVALID_ARGUMENT,
          `task.name must be ${prefix}TASK_ID, TASK_ID of letters, digits, - and _ (at most 500), got "${name}"`,
        );
      if (queue.tasks.has(name)) throw new RpcError(CODE.ALREADY_EXISTS, "Requested entity already exists");
      if (this.isReserved(name))
        throw new RpcError(
          CODE.ALREADY_EXISTS,
          "The task cannot be created because a task with this name existed too recently.",
        );
    } else {
      name = `${queue.name}/tasks/${randomBytes(16).toString("hex")}`;
    }

    const now = Date.now();
    const scheduleTime = toMs(task.scheduleTime) ?? now;
    if (scheduleTime > now + MAX_SCHEDULE_AHEAD_MS)
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        "The scheduled time of the task is more than 30 days in the future",
      );
    const deadlineMs = toMs(task.dispatchDeadline) ?? 600_000;
    if (deadlineMs < 15_000 || deadlineMs > 1_800_000)
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `task.dispatch_deadline must be between 15 s and 30 min, got ${deadlineMs} ms`,
      );

    const stored: StoredTask = {
      name,
      queueName: queue.name,
      url: url.href,
      httpMethod: method,
      headers: { ...(http.headers ?? {}) },
      body,
      ...(http.oidcToken
        ? {
            oidc: {
              serviceAccountEmail: http.oidcToken.serviceAccountEmail as string,
              // Unset: the URL is the audience.
              audience: http.oidcToken.audience || url.href,
            },
          }
        : {}),
      scheduleTime,
      createTime: now,
      dispatchDeadlineMs: deadlineMs,
      dispatchCount: 0,
      responseCount: 0,
      running: false,
    };
    queue.tasks.set(name, stored);
    this.dispatcher.pump();
    return this.taskMessage(stored, request.responseView);
  }

  getTask(request: { name?: string; responseView?: string }): Record<string, unknown> {
    return this.taskMessage(this.taskOf(request.name), request.responseView);
  }

  deleteTask(request: { name?: string }): Record<string, never> {
    const task = this.taskOf(request.name);
    this.retire(this.queueOf(task.queueName), task);
    return {};
  }

  listTasks(request: {
    parent?: string;
    pageSize?: number;
    pageToken?: string;
    responseView?: string;
  }): Record<string, unknown> {
    const queue = this.queueOf(request.parent);
    const pageSize = request.pageSize ? Math.min(1000, request.pageSize) : 1000;
    if (pageSize < 0)
      throw new RpcError(CODE.INVALID_ARGUMENT, `page_size must not be negative, got ${pageSize}`);
    const offset = request.pageToken ? Number(Buffer.from(request.pageToken, "base64url").toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0)
      throw new RpcError(
        CODE.INVALID_ARGUMENT,
        `page_token "${request.pageToken}" was not given by ListTasks`,
      );
    const all = [...queue.tasks.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = all.slice(offset, offset + pageSize);
    const nextOffset = offset + page.length;
    return {
      tasks: page.map((t) => this.taskMessage(t, request.responseView)),
      nextPageToken: nextOffset < all.length ? Buffer.from(String(nextOffset)).toString("base64url") : "",
    };
  }

  private taskOf(name: string | undefined): StoredTask {
    const queueName = name?.split("/tasks/")[0];
    const task = name ? this.queues.get(queueName ?? "")?.tasks.get(name) : undefined;
    if (!task) throw new RpcError(CODE.NOT_FOUND, "Requested entity was not found.");
    return task;
  }

  private taskMessage(task: StoredTask, view: string | undefined): Record<string, unknown> {
    const full = view === "FULL";
    const attempt = (a: StoredTask["lastAttempt"]) =>
      a && {
        scheduleTime: toTimestamp(a.scheduleTime),
        dispatchTime: toTimestamp(a.dispatchTime),
        ...(a.responseTime ? { responseTime: toTimestamp(a.responseTime) } : {}),
        ...(a.responseStatus ? { responseStatus: a.responseStatus } : {}),
      };
    return {
      name: task.name,
      httpRequest: {
        url: task.url,
        httpMethod: task.httpMethod,
        // The basic view leaves out what can be large or sensitive.
        ...(full ? { headers: task.headers, body: task.body } : {}),
        ...(task.oidc ? { oidcToken: task.oidc } : {}),
      },
      scheduleTime: toTimestamp(task.scheduleTime),
      createTime: toTimestamp(Math.floor(task.createTime / 1000) * 1000),
      dispatchDeadline: { seconds: String(Math.floor(task.dispatchDeadlineMs / 1000)), nanos: 0 },
      dispatchCount: task.dispatchCount,
      responseCount: task.responseCount,
      ...(task.firstAttempt
        ? { firstAttempt: { dispatchTime: toTimestamp(task.firstAttempt.dispatchTime) } }
        : {}),
      ...(task.lastAttempt ? { lastAttempt: attempt(task.lastAttempt) } : {}),
      view: full ? "FULL" : "BASIC",
    };
  }

  /** The grpc-js handlers: each unary call answered from the methods above. */
  handlers(grpc: typeof GrpcJs): GrpcJs.UntypedServiceImplementation {
    const unary =
      <Req>(run: (request: Req) => unknown): GrpcJs.handleUnaryCall<Req, unknown> =>
      (call, callback) => {
        try {
          callback(null, run(call.request));
        } catch (error) {
          if (error instanceof RpcError)
            callback({ code: error.code, details: error.message, metadata: new grpc.Metadata() });
          else
            callback({ code: grpc.status.INTERNAL, details: String(error), metadata: new grpc.Metadata() });
        }
      };
    return {
      CreateQueue: unary((r: Parameters<CloudTasksService["createQueue"]>[0]) => this.createQueue(r)),
      GetQueue: unary((r: { name?: string }) => this.getQueue(r)),
      CreateTask: unary((r: Parameters<CloudTasksService["createTask"]>[0]) => this.createTask(r)),
      GetTask: unary((r: { name?: string; responseView?: string }) => this.getTask(r)),
      DeleteTask: unary((r: { name?: string }) => this.deleteTask(r)),
      ListTasks: unary((r: Parameters<CloudTasksService["listTasks"]>[0]) => this.listTasks(r)),
    };
  }
}
