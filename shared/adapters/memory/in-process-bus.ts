import { randomUUID } from "node:crypto";
import {
  type Acknowledgement,
  assertResourceName,
  type Bus,
  BusError,
  type BusMessage,
  type MessageHandler,
  type Subscription,
  type SubscriptionSpec,
} from "../../ports/bus.js";

interface Delivery {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
  publishTime: Date;
  attempts: number;
}

interface InProcessSubscription {
  spec: SubscriptionSpec;
  handler?: MessageHandler;
  backlog: Delivery[];
  inFlight: number;
  closed: boolean;
  /** Called each time a handler finishes: what close() waits on. */
  settled: Array<() => void>;
}

export interface InProcessBusOptions {
  /** Delay before a nacked or failed message is delivered again (Pub/Sub's minimum backoff is 10 s). */
  redeliveryDelayMs?: number;
  /** Messages a subscription handles at once, unless its spec says (SubscriptionSpec.maxConcurrent). */
  maxConcurrentPerSubscription?: number;
}

/**
 * The Bus of the single-machine default: Pub/Sub's delivery semantics in one process.
 * Like Pub/Sub, a topic fans out to every subscription, a message published before a
 * subscription existed is not delivered to it, delivery is at-least-once (nack or a thrown
 * handler error means redelivery), and a subscription with maxDeliveryAttempts moves a
 * message to its dead-letter topic after that many failed deliveries.
 */
export class InProcessBus implements Bus {
  private readonly topics = new Map<string, Map<string, InProcessSubscription>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly redeliveryDelayMs: number;
  private readonly maxConcurrent: number;
  private closed = false;

  constructor(options: InProcessBusOptions = {}) {
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 1_000;
    this.maxConcurrent = options.maxConcurrentPerSubscription ?? 8;
  }

  async ensureTopic(topic: string): Promise<void> {
    this.assertOpen();
    assertResourceName("topic", topic);
    if (!this.topics.has(topic)) this.topics.set(topic, new Map());
  }

  async publish(topic: string, payload: unknown, attributes: Record<string, string> = {}): Promise<string> {
    this.assertOpen();
    const subscriptions = this.topics.get(topic);
    if (!subscriptions)
      throw new BusError("TOPIC_NOT_FOUND", `topic ${topic} does not exist`, { details: { topic } });
    const data = Buffer.from(JSON.stringify(payload));
    return this.publishRaw(subscriptions, data, attributes);
  }

  private publishRaw(
    subscriptions: Map<string, InProcessSubscription>,
    data: Buffer,
    attributes: Record<string, string>,
  ): string {
    const id = randomUUID();
    const publishTime = new Date();
    for (const subscription of subscriptions.values()) {
      subscription.backlog.push({ id, data, attributes: { ...attributes }, publishTime, attempts: 0 });
      this.pump(subscription);
    }
    return id;
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    assertResourceName("subscription", spec.name);
    const subscriptions = this.topics.get(spec.topic);
    if (!subscriptions)
      throw new BusError("TOPIC_NOT_FOUND", `topic ${spec.topic} does not exist`, {
        details: { topic: spec.topic },
      });
    if (spec.deadLetterTopic) await this.ensureTopic(spec.deadLetterTopic);
    let subscription = subscriptions.get(spec.name);
    if (!subscription) {
      subscription = { spec, backlog: [], inFlight: 0, closed: false, settled: [] };
      subscriptions.set(spec.name, subscription);
    }
    // Re-subscribing to an existing subscription resumes its backlog, as a Pub/Sub subscriber does.
    subscription.spec = spec;
    subscription.handler = handler;
    subscription.closed = false;
    this.pump(subscription);
    const current = subscription;
    return {
      // Like a subscriber's close: no new deliveries, and the ones in flight are let finish.
      close: async () => {
        current.closed = true;
        current.handler = undefined;
        while (current.inFlight > 0) await new Promise<void>((resolve) => current.settled.push(resolve));
      },
    };
  }

  private pump(subscription: InProcessSubscription): void {
    while (
      subscription.handler &&
      !subscription.closed &&
      subscription.inFlight < (subscription.spec.maxConcurrent ?? this.maxConcurrent) &&
      subscription.backlog.length > 0
    ) {
      const delivery = subscription.backlog.shift() as Delivery;
      subscription.inFlight += 1;
      void this.deliver(subscription, subscription.handler, delivery);
    }
  }

  private async deliver(
    subscription: InProcessSubscription,
    handler: MessageHandler,
    delivery: Delivery,
  ): Promise<void> {
    delivery.attempts += 1;
    const message: BusMessage = {
      id: delivery.id,
      data: delivery.data,
      attributes: delivery.attributes,
      deliveryAttempt: delivery.attempts,
      publishTime: delivery.publishTime,
    };
    let outcome: Acknowledgement;
    try {
      // Deliver on a later tick, as a network transport would: publish never runs handler code.
      await new Promise<void>((resolve) => setImmediate(resolve));
      outcome = await handler(message);
    } catch {
      outcome = "nack";
    }
    subscription.inFlight -= 1;
    if (outcome === "nack") this.redeliverOrDeadLetter(subscription, delivery);
    for (const wake of subscription.settled.splice(0)) wake();
    this.pump(subscription);
  }

  private redeliverOrDeadLetter(subscription: InProcessSubscription, delivery: Delivery): void {
    const { maxDeliveryAttempts, deadLetterTopic } = subscription.spec;
    if (deadLetterTopic && maxDeliveryAttempts !== undefined && delivery.attempts >= maxDeliveryAttempts) {
      const target = this.topics.get(deadLetterTopic);
      if (target) this.publishRaw(target, delivery.data, delivery.attributes);
      return;
    }
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      subscription.backlog.push(delivery);
      this.pump(subscription);
    }, this.redeliveryDelayMs);
    this.timers.add(timer);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const subscriptions of this.topics.values()) {
      for (const subscription of subscriptions.values()) {
        subscription.closed = true;
        subscription.handler = undefined;
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError("CLOSED", "the bus is closed");
  }
}
