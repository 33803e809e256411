import { z } from "zod";
import { sendToDeadLetter } from "../../messaging/dead-letter.js";
import { describeInvalidMessage } from "../../messaging/describe-invalid-message.js";
import { TOPICS } from "../../messaging/topics.js";
import type { Acknowledgement, Bus, BusMessage } from "../../ports/bus.js";
import { syncOneUser } from "./sync-one-user.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

export const directoryChangeSchema = z
  .object({
    googleUserId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, { error: "expected a Google user id" }),
    event: z.enum(["add", "delete", "update", "undelete", "makeAdmin"]),
  })
  .strict();

/**
 * The user-sync worker's handling of one Directory change: malformed -> dead-letter with the
 * reason and ack; another worker busy with the user -> nack (redelivered later); user sync off
 * (syncUsers: false) -> ack, nothing done; else sync it.
 */
export async function handleDirectoryChange(
  message: BusMessage,
  ports: UserSyncPorts & { bus: Bus },
  config: UserSyncConfig,
): Promise<Acknowledgement> {
  const invalid = describeInvalidMessage(message.data, directoryChangeSchema);
  if (invalid) {
    await sendToDeadLetter(ports.bus, ports.logger, TOPICS.directoryChanges, message, invalid);
    return "ack";
  }
  const change = directoryChangeSchema.parse(JSON.parse(message.data.toString("utf8")));
  const result = await syncOneUser(ports, config, change);
  if (result.status === "busy") return "nack";
  // With user sync off the change is dropped (and logged): the nightly reconcile catches up once it is on.
  if (result.status === "off") return "ack";
  // Action errors are recorded on the run; retrying the message retries the writes that failed.
  return result.outcome.errors.length > 0 ? "nack" : "ack";
}
