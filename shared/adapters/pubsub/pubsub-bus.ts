import type { Message, PubSub, Subscription as PubSubSubscription, Topic } from "@google-cloud/pubsub";
import {
  assertResourceName,
  type Bus,
  BusError,
  type MessageHandler,
  type Subscription,
  type SubscriptionSpec,
} from "../../ports/bus.js";

const GRPC_ALREADY_EXISTS = 6;
const GRPC_NOT_FOUND = 5;

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

/**
 * The cloud Bus on Cloud Pub/Sub. In production topics and subscriptions come from infra and
 * functions are pushed their messages by Eventarc; subscribe() (streaming pull) serves the CLI,
 * the local pull-to-push bridge and the tests.
 */
export class PubSubBus implements Bus {
  private readonly topicHandles = new Map<string, Topic>();
  private readonly open = new Set<PubSubSubscription>();
  /** Pub/Sub reports delivery attempts only with a dead-letter policy; otherwise they are counted here. */
  private readonly seenAttempts = new Map<string, number>();

  constructor(private readonly pubsub: PubSub) {}

  private topic(name: string): Topic {
    let handle = this.topicHandles.get(name);
    if (!handle) {
      handle = this.pubsub.topic(name);
      this.topicHandles.set(name, handle);
    }
    return handle;
  }

  async ensureTopic(topic: string): Promise<void> {
    assertResourceName("topic", topic);
    try {
      await this.pubsub.createTopic(topic);
    } catch (error) {
      if (grpcCode(error) !== GRPC_ALREADY_EXISTS)
        throw new BusError("UNAVAILABLE", `cannot create topic ${topic}`, { cause: error });
    }
  }

  async publish(topic: string, payload: unknown, attributes: Record<string, string> = {}): Promise<string> {
    assertResourceName("topic", topic);
    try {
      return await this.topic(topic).publishMessage({
        data: Buffer.from(JSON.stringify(payload)),
        attributes,
      });
    } catch (error) {
      if (grpcCode(error) === GRPC_NOT_FOUND)
        throw new BusError("TOPIC_NOT_FOUND", `topic ${topic} does not exist`, { cause: error });
      throw new BusError("UNAVAILABLE", `publish to ${topic} failed`, { cause: error });
    }
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    assertResourceName("subscription", spec.name);
    try {
      await this.topic(spec.topic).createSubscription(spec.name, {
        ackDeadlineSeconds: spec.ackDeadlineSeconds ?? 10,
        ...(spec.deadLetterTopic
          ? {
              deadLetterPolicy: {
                deadLetterTopic: this.pubsub.topic(spec.deadLetterTopic).name,
                maxDeliveryAttempts: spec.maxDeliveryAttempts ?? 5,
              },
            }
          : {}),
      });
    } catch (error) {
      const code = grpcCode(error);
      if (code === GRPC_NOT_FOUND)
        throw new BusError("TOPIC_NOT_FOUND", `topic ${spec.topic} does not exist`, { cause: error });
      if (code !== GRPC_ALREADY_EXISTS)
        throw new BusError("UNAVAILABLE", `cannot create subscription ${spec.name}`, { cause: error });
    }
    // This subscriber serves the CLI, the local bridge and tests, never heavy traffic: one stream,
    // and acks/nacks sent at once rather than batched, so a nack is never left waiting in a batch.
    const subscription = this.pubsub.subscription(spec.name, {
      streamingOptions: { maxStreams: 1 },
      batching: { maxMessages: 1, maxMilliseconds: 1 },
      ...(spec.maxConcurrent
        ? { flowControl: { maxMessages: spec.maxConcurrent, allowExcessMessages: false } }
        : {}),
    });
    const inFlight = new Set<Promise<void>>();
    subscription.on("message", (message: Message) => {
      const handled = this.handle(message, handler).finally(() => inFlight.delete(handled));
      inFlight.add(handled);
    });
    subscription.on("error", () => {
      // Stream errors are retried by the client library; a persistent one surfaces on close().
    });
    this.open.add(subscription);
    return {
      // No new deliveries; the ones in flight finish and are acked or nacked before the stream closes.
      close: async () => {
        this.open.delete(subscription);
        subscription.removeAllListeners("message");
        await Promise.allSettled([...inFlight]);
        await subscription.close();
      },
    };
  }

  private async handle(message: Message, handler: MessageHandler): Promise<void> {
    const attempt = message.deliveryAttempt || (this.seenAttempts.get(message.id) ?? 0) + 1;
    this.seenAttempts.set(message.id, attempt);
    let outcome: "ack" | "nack";
    try {
      outcome = await handler({
        id: message.id,
        data: message.data,
        attributes: message.attributes,
        deliveryAttempt: attempt,
        publishTime: new Date(message.publishTime.getTime()),
      });
    } catch {
      outcome = "nack";
    }
    if (outcome === "ack") {
      this.seenAttempts.delete(message.id);
      message.ack();
    } else {
      message.nack();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((subscription) => subscription.close()));
    this.open.clear();
    await this.pubsub.close();
  }
}
