import type { PubSub } from "@google-cloud/pubsub";
import { PubSubBus } from "../../../shared/adapters/pubsub/pubsub-bus.js";
import type { BusMessage, Subscription } from "../../../shared/ports/bus.js";

/** One delivery the bridge made: which message, to which subscription, and how the endpoint answered. */
export interface Delivery {
  subscription: string;
  messageId: string;
  attempt: number;
  status: number;
}

export interface PushSubscriptionSpec {
  name: string;
  /** Topic name (not the full path). */
  topic: string;
  pushEndpoint: string;
  deadLetterTopic?: string;
  maxDeliveryAttempts?: number;
  /** The subscription's retry policy: a failed delivery is retried after min * 2^(n-1), at most max. */
  retryBackoffMs?: { minimum: number; maximum: number };
}

/**
 * What a Pub/Sub push subscription does, for a Pub/Sub stand-in that has no push and ignores
 * dead-letter policies (pstest): pull each message, POST it in the push format to the endpoint,
 * ack on 2xx and nack otherwise (redelivery); after maxDeliveryAttempts failed deliveries the message
 * is forwarded to the dead-letter topic with the attributes Pub/Sub adds, and acked. Redeliveries
 * wait out the subscription's exponential backoff, scaled by `timeScale` so a test is not minutes long.
 */
export class PushBridge {
  readonly deliveries: Delivery[] = [];
  private readonly bus: PubSubBus;
  private readonly open: Subscription[] = [];

  constructor(
    private readonly pubsub: PubSub,
    private readonly projectId: string,
    private readonly timeScale = 1,
  ) {
    this.bus = new PubSubBus(pubsub);
  }

  async add(spec: PushSubscriptionSpec): Promise<void> {
    this.open.push(
      await this.bus.subscribe({ topic: spec.topic, name: spec.name }, async (message) => {
        const status = await this.push(spec, message);
        this.deliveries.push({
          subscription: spec.name,
          messageId: message.id,
          attempt: message.deliveryAttempt,
          status,
        });
        if (status >= 200 && status < 300) return "ack";
        if (spec.deadLetterTopic && message.deliveryAttempt >= (spec.maxDeliveryAttempts ?? 5)) {
          await this.pubsub.topic(spec.deadLetterTopic).publishMessage({
            data: message.data,
            attributes: {
              ...message.attributes,
              CloudPubSubDeadLetterSourceSubscription: spec.name,
              CloudPubSubDeadLetterSourceDeliveryCount: String(message.deliveryAttempt),
            },
          });
          return "ack";
        }
        if (spec.retryBackoffMs) {
          const { minimum, maximum } = spec.retryBackoffMs;
          const backoff = Math.min(maximum, minimum * 2 ** (message.deliveryAttempt - 1));
          await new Promise((resolve) => setTimeout(resolve, backoff * this.timeScale));
        }
        return "nack";
      }),
    );
  }

  private async push(spec: PushSubscriptionSpec, message: BusMessage): Promise<number> {
    try {
      const response = await fetch(spec.pushEndpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          subscription: `projects/${this.projectId}/subscriptions/${spec.name}`,
          deliveryAttempt: message.deliveryAttempt,
          message: {
            data: message.data.toString("base64"),
            attributes: message.attributes,
            messageId: message.id,
            publishTime: message.publishTime.toISOString(),
          },
        }),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      // Connection refused or reset: Pub/Sub counts it as a failed delivery.
      return 0;
    }
  }

  /** The deliveries of one message, in order. */
  deliveriesOf(messageId: string): Delivery[] {
    return this.deliveries.filter((d) => d.messageId === messageId);
  }

  async close(): Promise<void> {
    await Promise.all(this.open.map((s) => s.close()));
  }
}
