import { z } from "zod";
import { sendToDeadLetter } from "../../messaging/dead-letter.js";
import { describeInvalidMessage } from "../../messaging/describe-invalid-message.js";
import { TOPICS } from "../../messaging/topics.js";
import type { Bus, BusMessage } from "../../ports/bus.js";
import {
  type RenewChannelsOptions,
  renewDirectoryChannels,
  TICK_RENEW_WITHIN_MS,
} from "../channels/renew-directory-channels.js";
import {
  type DailySyncResult,
  runDailySync,
  type ScheduledContactsWork,
  type ScheduledPresenceWork,
} from "./run-daily-sync.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

/**
 * What Cloud Scheduler publishes to gw3cx-sync-requests: the nightly full sync ("daily"), the
 * renewal tick of the watch channels ("renewChannels", every few hours), or the presence reconcile
 * tick ("reconcilePresence", every minute with calendarPresence on), or the daily digest
 * ("digest", at mail.digestTime with mail.digest on).
 */
export const syncRequestSchema = z
  .object({ trigger: z.enum(["daily", "manual", "renewChannels", "reconcilePresence", "digest"]) })
  .strict();

/** The daily digest, sent at most once per day however often its request comes (scheduled-digest.ts). */
export type ScheduledDigestWork = () => Promise<unknown>;

/**
 * The daily function's handling of one sync request: a malformed one goes to the dead-letter topic
 * with the reason (and is acked, never retried); a valid one runs the nightly job or the renewal tick.
 */
export async function handleSyncRequest(
  message: BusMessage,
  ports: UserSyncPorts & { bus: Bus },
  config: UserSyncConfig,
  channels: RenewChannelsOptions,
  presence?: ScheduledPresenceWork,
  contacts?: ScheduledContactsWork,
  digest?: ScheduledDigestWork,
): Promise<DailySyncResult | { presence: unknown } | { digest: unknown } | undefined> {
  const invalid = describeInvalidMessage(message.data, syncRequestSchema);
  if (invalid) {
    await sendToDeadLetter(ports.bus, ports.logger, TOPICS.syncRequests, message, invalid);
    return undefined;
  }
  const { trigger } = syncRequestSchema.parse(JSON.parse(message.data.toString("utf8")));
  if (trigger === "reconcilePresence") {
    // A valid request this runtime has no presence for: acknowledged with a reason, not dead-lettered.
    if (!presence) ports.logger.event("presenceReconcileUnavailable", {});
    return presence ? { presence: await presence.reconcile() } : undefined;
  }
  if (trigger === "digest") {
    // Like the presence tick: a runtime without the digest acknowledges it with a reason.
    if (!digest) ports.logger.event("mailDigestUnavailable", {});
    return digest ? { digest: await digest() } : undefined;
  }
  if (trigger === "renewChannels") {
    const renewed = await renewDirectoryChannels(ports, { ...channels, renewWithinMs: TICK_RENEW_WITHIN_MS });
    return { channels: renewed, ...(presence ? { presence: await presence.renewChannels() } : {}) };
  }
  return runDailySync(ports, config, channels, presence, contacts);
}
