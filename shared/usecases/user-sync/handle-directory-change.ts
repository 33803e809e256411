import { z } from "zod";
import { sendToDeadLetter } from "../../messaging/dead-letter.js";
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

/** Describes why a message is unusable, naming the field and the value (or that it is not JSON). */
export function describeInvalidMessage(data: Buffer, schema: z.ZodType): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    return `message data is not JSON: ${JSON.stringify(data.toString("utf8").slice(0, 80))}`;
  }
  const result = schema.safeParse(parsed);
  if (result.success) return undefined;
  return result.error.issues
    .map((issue) => {
      const field = issue.path.join(".") || "(message)";
      const value = issue.path.reduce<unknown>(
        (node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key],
        parsed,
      );
      return `${field} = ${JSON.stringify(value) ?? "(missing)"}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * The user-sync worker's handling of one Directory change: malformed -> dead-letter with the
 * reason and ack; another worker busy with the user -> nack (redelivered later); else sync it.
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
  // Action errors are recorded on the run; retrying the message retries the writes that failed.
  return result.outcome.errors.length > 0 ? "nack" : "ack";
}
