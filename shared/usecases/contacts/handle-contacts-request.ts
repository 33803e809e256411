import { z } from "zod";
import { sendToDeadLetter } from "../../messaging/dead-letter.js";
import { describeInvalidMessage } from "../../messaging/describe-invalid-message.js";
import { TOPICS } from "../../messaging/topics.js";
import type { Acknowledgement, Bus, BusMessage } from "../../ports/bus.js";
import { withContactLease } from "./contact-lease.js";
import { ContactRunStore, emptyCounts } from "./contact-run-store.js";
import type { ContactSyncConfig, ContactSyncPorts } from "./contact-sync-ports.js";
import { readContactSyncUser } from "./contact-sync-users.js";
import { contactRunHeartbeat } from "./start-contact-run.js";
import { syncUserContacts } from "./sync-user-contacts.js";
import type { UserContactsResult } from "./user-contacts-result.js";

export const contactsRequestSchema = z
  .object({
    runId: z.string().regex(/^[0-9A-Za-z_-]{1,120}$/, { error: "expected a contacts run id" }),
    googleUserId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, { error: "expected a Google user id" }),
  })
  .strict();

/**
 * The contacts worker's handling of one user of a nightly run. Malformed -> dead-letter with the
 * reason, ack. A user already in the run (a duplicate delivery) -> ack, nothing written. Another
 * worker on the user -> nack (redelivered). Otherwise sync, add the result to the run, ack: a
 * user's own failure is recorded on the run (the next night retries), not retried in a loop.
 */
export async function handleContactsRequest(
  message: BusMessage,
  ports: ContactSyncPorts & { bus: Bus },
  config: ContactSyncConfig,
): Promise<Acknowledgement> {
  const invalid = describeInvalidMessage(message.data, contactsRequestSchema);
  if (invalid) {
    await sendToDeadLetter(ports.bus, ports.logger, TOPICS.contactsRequests, message, invalid);
    return "ack";
  }
  const { runId, googleUserId } = contactsRequestSchema.parse(JSON.parse(message.data.toString("utf8")));
  const log = ports.logger.child({ runId, googleUserId });
  const runs = new ContactRunStore(ports.state);
  if (await runs.hasUser(runId, googleUserId)) return "ack";
  if (!config.syncPersonalContacts) {
    log.event("contactsOff", {});
    return "ack";
  }
  const user = await readContactSyncUser(ports.state, ports.threecx, googleUserId);
  if (!user) {
    // Disabled or unlinked since the run began: left as it is, but counted so the run can finish.
    await runs.addUser(runId, notSynced(googleUserId), ports.clock.now());
    return "ack";
  }
  const ran = await withContactLease(ports.state, ports.clock, googleUserId, runId, async () => {
    // Checked again under the lease: a duplicate that waited for it finds the work done.
    if (await runs.hasUser(runId, googleUserId)) return;
    // The run has no process of its own in the cloud: its workers keep it alive while they work.
    const heartbeat = contactRunHeartbeat(ports, config);
    heartbeat.start(runId);
    try {
      await runs.addUser(runId, await syncUserContacts(ports, config, user), ports.clock.now());
    } finally {
      heartbeat.stop();
    }
  });
  if (!ran) {
    log.event("contactsUserBusy", {});
    return "nack";
  }
  return "ack";
}

function notSynced(googleId: string): UserContactsResult {
  return {
    googleId,
    email: "",
    status: "done",
    fullRead: false,
    counts: emptyCounts(),
    notes: [
      {
        code: "USER_NOT_SYNCED",
        message: "no longer an enabled 3CX user gw3cx manages; phonebook left as it is",
      },
    ],
    overflow: [],
    unfit: [],
    writeErrors: [],
  };
}
