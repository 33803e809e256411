import type { Logger } from "../logging/logger.js";
import type { Bus, BusMessage } from "../ports/bus.js";
import { deadLetterTopicOf, type TopicName } from "./topics.js";

/**
 * Moves a message that can never be handled to the topic's dead-letter path, with the reason,
 * so it is acked (never retried forever) and still kept for a person to look at.
 */
export async function sendToDeadLetter(
  bus: Bus,
  logger: Logger,
  topic: TopicName,
  message: BusMessage,
  reason: string,
): Promise<void> {
  const deadLetterTopic = deadLetterTopicOf(topic);
  let payload: unknown;
  try {
    payload = JSON.parse(message.data.toString("utf8"));
  } catch {
    payload = { undecodable: message.data.toString("base64") };
  }
  await bus.publish(deadLetterTopic, payload, {
    ...message.attributes,
    deadLetterReason: reason.slice(0, 1024),
    originalMessageId: message.id,
    originalTopic: topic,
  });
  logger.event("busMessageDeadLettered", { topic, messageId: message.id, reason });
}
