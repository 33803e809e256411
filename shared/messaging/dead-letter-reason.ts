/**
 * Why a message is on a dead-letter path, from its attributes: gw3cx's own reason when a handler
 * refused it (sendToDeadLetter), else the delivery count after which Pub/Sub gave up on it.
 */
export function deadLetterReasonOf(attributes: Readonly<Record<string, string>>): string {
  if (attributes.deadLetterReason) return attributes.deadLetterReason;
  const attempts = attributes.CloudPubSubDeadLetterSourceDeliveryCount;
  if (attempts) return `not handled after ${attempts} delivery attempts`;
  return "no reason recorded";
}
