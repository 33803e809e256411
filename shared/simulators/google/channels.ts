import type { FaultInjector } from "./faults.js";
import { randomToken } from "./ids.js";
import { apiError } from "./wire.js";

export interface SimChannel {
  id: string;
  resourceId: string;
  resourceUri: string;
  token?: string;
  address: string;
  expirationMs: number;
  kind: "directory" | "calendar";
  /** Directory: the event the channel watches (add, delete, update, undelete, makeAdmin). */
  event?: string;
  /** Calendar: the owner's user id. */
  userId?: string;
  /** Calendar: the event types the channel watches (events.watch eventTypes); unset: all. */
  eventTypes?: ReadonlySet<string>;
  /** Number of the last message sent on this channel (the sync message is 1). */
  lastMessageNumber: number;
  stopped: boolean;
}

export interface Delivery {
  channelId: string;
  state: string;
  messageNumber: number;
  /** HTTP status the receiver answered, or the outcome when nothing was sent. */
  outcome: number | "dropped" | "expired" | "network-error";
}

export interface ChannelRequest {
  id?: string;
  type?: string;
  address?: string;
  token?: string;
  expiration?: string;
  params?: { ttl?: string };
}

/** Redelivery after 500/502/503/504 answers, as Google backs off (kept short for tests). */
const REDELIVERY_DELAYS_MS = [50, 200];

/**
 * Watch channels and push delivery with Google's headers. Deliveries run in the background;
 * `idle()` resolves when nothing is in flight, so tests can wait for them without sleeping.
 */
export class ChannelRegistry {
  private readonly channels = new Map<string, SimChannel>();
  private readonly inFlight = new Set<Promise<void>>();
  private held: Array<() => Promise<void>> = [];
  /** Deliveries of one channel go out one after another, so order faults are observable. */
  private readonly queues = new Map<string, Promise<void>>();
  readonly deliveries: Delivery[] = [];
  /** Longest TTL granted; a request asking for more gets this (the more restrictive value wins). */
  maxTtlSeconds = 7 * 86_400;
  /** Google requires https addresses; the start option allowHttpPushAddresses admits http for local use. */
  allowHttpAddresses = false;

  constructor(
    private readonly now: () => number,
    private readonly faults: FaultInjector,
  ) {}

  open(
    kind: SimChannel["kind"],
    request: ChannelRequest,
    resource: {
      resourceUri: string;
      event?: string;
      userId?: string;
      eventTypes?: ReadonlySet<string>;
      defaultTtlSeconds: number;
    },
  ): SimChannel {
    if (!request.id || request.id.length > 64)
      throw apiError(400, "invalid", "Channel id must be 1-64 characters");
    if (this.channels.has(request.id)) throw apiError(400, "channelIdNotUnique", "Channel id not unique");
    if (request.type !== "web_hook" && request.type !== "webhook") {
      throw apiError(400, "invalid", `Invalid channel type: ${request.type ?? ""}`);
    }
    if (!request.address || !URL.canParse(request.address) || !/^https?:\/\//.test(request.address)) {
      throw apiError(400, "invalid", "Invalid channel address");
    }
    if (request.address.startsWith("http:") && !this.allowHttpAddresses) {
      throw apiError(400, "push.webhookUrlNotHttps", `WebHook callback must be HTTPS: ${request.address}`);
    }
    if (request.token !== undefined && request.token.length > 256) {
      throw apiError(400, "invalid", "Channel token must be at most 256 characters");
    }
    const now = this.now();
    const askedMs = request.params?.ttl
      ? now + Number(request.params.ttl) * 1000
      : request.expiration
        ? Number(request.expiration)
        : now + resource.defaultTtlSeconds * 1000;
    const channel: SimChannel = {
      id: request.id,
      resourceId: randomToken(18),
      resourceUri: resource.resourceUri,
      token: request.token,
      address: request.address,
      expirationMs: Math.min(askedMs, now + this.maxTtlSeconds * 1000),
      kind,
      event: resource.event,
      userId: resource.userId,
      eventTypes: resource.eventTypes,
      lastMessageNumber: 0,
      stopped: false,
    };
    this.channels.set(channel.id, channel);
    this.notify(channel, "sync");
    return channel;
  }

  stop(id: string | undefined, resourceId: string | undefined): void {
    const channel = id ? this.channels.get(id) : undefined;
    if (!channel || channel.stopped || channel.resourceId !== resourceId) {
      throw apiError(404, "notFound", `Channel '${id ?? ""}' not found for project`);
    }
    channel.stopped = true;
  }

  get(id: string): SimChannel | undefined {
    return this.channels.get(id);
  }

  /** Open (not stopped, not expired) channels matching the filter. */
  active(filter: (channel: SimChannel) => boolean): SimChannel[] {
    const now = this.now();
    return [...this.channels.values()].filter((c) => !c.stopped && c.expirationMs > now && filter(c));
  }

  /** Numbers increase per channel from the sync message's 1, as Google numbers them. */
  notify(channel: SimChannel, state: string, body?: unknown): void {
    const messageNumber = ++channel.lastMessageNumber;
    const send = () => this.enqueue(channel.id, () => this.deliver(channel, state, messageNumber, body));
    const fault = state === "sync" ? undefined : this.faults.forNotification(channel.id);
    if (fault?.kind === "drop") {
      this.deliveries.push({ channelId: channel.id, state, messageNumber, outcome: "dropped" });
      return;
    }
    if (fault?.kind === "reorder") {
      this.held.push(send);
      if (fault.last) this.releaseHeld();
      return;
    }
    this.track(send());
    if (fault?.kind === "duplicate") this.track(send());
  }

  /** Delivers held (reordered) notifications now, last first. */
  releaseHeld(): void {
    const held = this.held.reverse();
    this.held = [];
    for (const send of held) this.track(send());
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private enqueue(channelId: string, run: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(channelId) ?? Promise.resolve()).then(run);
    this.queues.set(channelId, next);
    return next;
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(
    channel: SimChannel,
    state: string,
    messageNumber: number,
    body: unknown,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (channel.stopped || channel.expirationMs <= this.now()) {
        this.deliveries.push({ channelId: channel.id, state, messageNumber, outcome: "expired" });
        return;
      }
      const headers: Record<string, string> = {
        "X-Goog-Channel-ID": channel.id,
        "X-Goog-Channel-Expiration": new Date(channel.expirationMs).toUTCString(),
        "X-Goog-Resource-ID": channel.resourceId,
        "X-Goog-Resource-URI": channel.resourceUri,
        "X-Goog-Resource-State": state,
        "X-Goog-Message-Number": String(messageNumber),
        "User-Agent": "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)",
      };
      if (channel.token !== undefined) headers["X-Goog-Channel-Token"] = channel.token;
      if (body !== undefined) headers["Content-Type"] = "application/json; charset=UTF-8";
      let outcome: Delivery["outcome"];
      try {
        const response = await fetch(channel.address, {
          method: "POST",
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
        await response.arrayBuffer();
        outcome = response.status;
      } catch {
        outcome = "network-error";
      }
      this.deliveries.push({ channelId: channel.id, state, messageNumber, outcome });
      const retryable = outcome === "network-error" || [500, 502, 503, 504].includes(outcome as number);
      const delay = REDELIVERY_DELAYS_MS[attempt];
      if (!retryable || delay === undefined) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
