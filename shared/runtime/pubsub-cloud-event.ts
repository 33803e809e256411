import { z } from "zod";
import type { BusMessage } from "../ports/bus.js";

/** The Pub/Sub `messagePublished` CloudEvent data Eventarc hands a function. */
const messagePublishedSchema = z.object({
  message: z.object({
    data: z.string().default(""),
    attributes: z.record(z.string(), z.string()).default({}),
    messageId: z.string().optional(),
    message_id: z.string().optional(),
    publishTime: z.string().optional(),
  }),
  subscription: z.string().optional(),
});

/**
 * Turns the CloudEvent into the Bus's message shape, so a worker handles Pub/Sub deliveries and
 * in-process deliveries the same way. An event that is not a Pub/Sub message at all throws.
 */
export function busMessageFromCloudEvent(event: { id?: string; time?: string; data?: unknown }): BusMessage {
  const { message } = messagePublishedSchema.parse(event.data);
  return {
    id: message.messageId ?? message.message_id ?? event.id ?? "unknown",
    data: Buffer.from(message.data, "base64"),
    attributes: message.attributes,
    deliveryAttempt: 1,
    publishTime: new Date(message.publishTime ?? event.time ?? Date.now()),
  };
}
