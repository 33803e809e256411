import { z } from "zod";
import { sendToDeadLetter } from "../../messaging/dead-letter.js";
import { describeInvalidMessage } from "../../messaging/describe-invalid-message.js";
import { TOPICS } from "../../messaging/topics.js";
import type { Acknowledgement, BusMessage } from "../../ports/bus.js";
import { applyPresence } from "./apply-presence.js";
import type { PresenceConfig, PresencePortsWithBus } from "./presence-ports.js";

/**
 * What gw3cx-calendar-changes carries: a user whose presence is due for a decision, because their
 * calendar changed (webhook), a boundary came (wake-up) or a channel was just opened. Nothing else:
 * the worker re-reads the truth.
 */
export const calendarChangeSchema = z
  .object({
    googleUserId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, { error: "expected a Google user id" }),
  })
  .strict();

export type CalendarChange = z.infer<typeof calendarChangeSchema>;

/**
 * The presence worker's handling of one message: malformed -> dead-letter with the reason and ack;
 * the user's lease held by another worker -> nack (redelivered); else apply (off, unlinked: ack).
 * A failure (Google, 3CX) is thrown: the bus redelivers, and the stored state was left as it was.
 */
export async function handleCalendarChange(
  message: BusMessage,
  ports: PresencePortsWithBus,
  config: PresenceConfig,
): Promise<Acknowledgement> {
  const invalid = describeInvalidMessage(message.data, calendarChangeSchema);
  if (invalid) {
    await sendToDeadLetter(ports.bus, ports.logger, TOPICS.calendarChanges, message, invalid);
    return "ack";
  }
  const { googleUserId } = calendarChangeSchema.parse(JSON.parse(message.data.toString("utf8")));
  try {
    const result = await applyPresence(ports, config, googleUserId);
    return result.status === "busy" ? "nack" : "ack";
  } catch (error) {
    ports.logger.event("presenceApplyFailed", { googleUserId, attempt: message.deliveryAttempt, error });
    return "nack";
  }
}
