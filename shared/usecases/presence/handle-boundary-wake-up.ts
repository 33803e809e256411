import { z } from "zod";
import { sendToDeadLetter } from "../../messaging/dead-letter.js";
import { describeInvalidMessage } from "../../messaging/describe-invalid-message.js";
import { TOPICS } from "../../messaging/topics.js";
import { applyPresence } from "./apply-presence.js";
import { calendarChangeSchema } from "./handle-calendar-change.js";
import type { PresenceConfig, PresencePortsWithBus } from "./presence-ports.js";

/** What a boundary task carries (CloudTasksBoundaryScheduler's body): the user, and the instant it was due. */
export const boundaryWakeUpSchema = calendarChangeSchema
  .extend({ at: z.number().int().nonnegative({ error: "expected epoch milliseconds" }) })
  .strict();

/** One delivery of a boundary task, as the boundary function receives it. */
export interface BoundaryDelivery {
  body: Buffer;
  /** The task's name (X-CloudTasks-TaskName), kept with a dead-lettered body. */
  taskName: string;
  /** 0 on the first attempt (X-CloudTasks-TaskRetryCount). */
  retryCount: number;
}

/** "done": answer 2xx, the task is finished. "retry": answer non-2xx, the queue tries again with backoff. */
export type BoundaryOutcome = "done" | "retry";

/**
 * A boundary wake-up from the queue: the user's presence is decided now, directly (no Pub/Sub hop,
 * so lateness is the queue's alone). A body that can never be handled goes to the calendar-changes
 * dead-letter topic with the reason and is finished; the user's lease held elsewhere, or a failure
 * of Google or 3CX, is retried by the queue (and, past its attempts, repaired by the reconcile tick).
 */
export async function handleBoundaryWakeUp(
  delivery: BoundaryDelivery,
  ports: PresencePortsWithBus,
  config: PresenceConfig,
): Promise<BoundaryOutcome> {
  const invalid = describeInvalidMessage(delivery.body, boundaryWakeUpSchema);
  if (invalid) {
    const message = {
      id: delivery.taskName,
      data: delivery.body,
      attributes: { source: "cloud-tasks" },
      deliveryAttempt: delivery.retryCount + 1,
      publishTime: ports.clock.now(),
    };
    await sendToDeadLetter(ports.bus, ports.logger, TOPICS.calendarChanges, message, invalid);
    return "done";
  }
  const { googleUserId, at } = boundaryWakeUpSchema.parse(JSON.parse(delivery.body.toString("utf8")));
  ports.logger.event("presenceBoundaryDelivered", {
    googleUserId,
    lateMs: ports.clock.now().getTime() - at,
    attempt: delivery.retryCount + 1,
  });
  try {
    const result = await applyPresence(ports, config, googleUserId);
    return result.status === "busy" ? "retry" : "done";
  } catch (error) {
    ports.logger.event("presenceApplyFailed", { googleUserId, attempt: delivery.retryCount + 1, error });
    return "retry";
  }
}
