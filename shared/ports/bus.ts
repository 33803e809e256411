import { Gw3cxError } from "../errors.js";

/** A message as a subscriber sees it. Data stays raw bytes: a malformed payload must be inspectable. */
export interface BusMessage {
  id: string;
  data: Buffer;
  attributes: Readonly<Record<string, string>>;
  /** 1 on first delivery; counted by the adapter where the transport does not say. */
  deliveryAttempt: number;
  publishTime: Date;
}

export type Acknowledgement = "ack" | "nack";

/** Returns "ack" when the message is done with (handled, or dead-lettered), "nack" to have it redelivered. */
export type MessageHandler = (message: BusMessage) => Promise<Acknowledgement>;

export interface SubscriptionSpec {
  topic: string;
  name: string;
  /** Seconds a delivery may stay unacknowledged before it is redelivered (10-600, default 10). */
  ackDeadlineSeconds?: number;
  /** After this many deliveries a nacked message goes to deadLetterTopic (5-100). */
  maxDeliveryAttempts?: number;
  deadLetterTopic?: string;
  /** Messages this subscriber handles at once; the adapter's default when unset. */
  maxConcurrent?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

/** Topics and subscriptions: Pub/Sub in the cloud, an in-process queue on a single machine. */
export interface Bus {
  /** Creates the topic if it does not exist. */
  ensureTopic(topic: string): Promise<void>;
  /** Publishes a JSON payload; returns the message id. */
  publish(topic: string, payload: unknown, attributes?: Record<string, string>): Promise<string>;
  /** Creates the subscription if needed and delivers its messages to the handler until closed. */
  subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription>;
  close(): Promise<void>;
}

export type BusErrorCode = "INVALID_ARGUMENT" | "TOPIC_NOT_FOUND" | "UNAVAILABLE" | "CLOSED";

export class BusError extends Gw3cxError<`BUS_${BusErrorCode}`> {
  constructor(
    code: BusErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(`BUS_${code}`, message, options);
  }
}

const TOPIC = /^[A-Za-z][A-Za-z0-9._~%+-]{2,254}$/;

/** Pub/Sub's own naming rule, enforced by every adapter so none accepts what the cloud refuses. */
export function assertResourceName(kind: "topic" | "subscription", name: string): void {
  if (!TOPIC.test(name) || name.startsWith("goog")) {
    throw new BusError(
      "INVALID_ARGUMENT",
      `${kind} name ${JSON.stringify(name)} must be 3-255 characters, start with a letter and not with "goog"`,
    );
  }
}
