/**
 * Pub/Sub (gw3cx-sync-requests, from Cloud Scheduler): the nightly full reconcile of every user and
 * calendar (GW_SYNC_TIME), the renewal of the Directory and Calendar watch channels (every few hours),
 * the presence reconcile tick (every minute with calendarPresence on) and the daily digest
 * (mail.digestTime with mail.digest on). A malformed request goes to the dead-letter topic with the
 * reason.
 *
 * The digest runs here rather than in a function of its own: this function already has the state,
 * the delegated Gmail sender and the sync-requests topic Cloud Scheduler publishes to, so the digest
 * costs one more scheduler job and read access to the dead-letter hold subscriptions, not another
 * deployed function with its own account and delegation.
 */
import { type CloudEvent, cloudEvent } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { resolveSecret } from "../shared/config/resolve-secret.js";
import { createLogger } from "../shared/logging/logger.js";
import { createPubSubDeadLetterSource } from "../shared/runtime/cloud-adapters.js";
import { cloudMailerWithLinks } from "../shared/runtime/cloud-mailer.js";
import { createCloudDailyPorts } from "../shared/runtime/cloud-presence-ports.js";
import { contactSyncConfigFrom } from "../shared/runtime/contacts-config.js";
import { scheduledDigestConfigFrom } from "../shared/runtime/digest-config.js";
import { once } from "../shared/runtime/once.js";
import { presenceConfigFrom } from "../shared/runtime/presence-config.js";
import { busMessageFromCloudEvent } from "../shared/runtime/pubsub-cloud-event.js";
import { requireSetting } from "../shared/runtime/require-setting.js";
import { userSyncConfigFrom } from "../shared/runtime/user-sync-config.js";
import { fanOutContactRequests } from "../shared/usecases/contacts/fan-out-contact-requests.js";
import { sendScheduledDigest } from "../shared/usecases/mail/scheduled-digest.js";
import { scheduledPresenceWork } from "../shared/usecases/presence/nightly-presence.js";
import { handleSyncRequest } from "../shared/usecases/user-sync/handle-sync-request.js";

const settings = loadSettings();
const logger = createLogger({ component: "daily-sync" }, { level: settings.logLevel });
const deps = once(async () => {
  const channels = {
    webhookUrl: requireSetting(
      settings.google.directoryWebhookUrl,
      "google.directoryWebhookUrl",
      "the webhook's HTTPS URL",
    ),
    channelToken: resolveSecret(
      requireSetting(settings.google.channelToken, "google.channelToken", "env:NAME of the channel token"),
      "google.channelToken",
    ),
  };
  const ports = await createCloudDailyPorts(settings, logger);
  const { presence } = ports;
  // Held-run notices and the digest are mailed from here alone, so only this function links
  // attachments over 25 MB through the archive bucket (and ships the Cloud Storage client).
  const userSync = {
    ...ports.userSync,
    ...(ports.userSync.mailer
      ? { mailer: cloudMailerWithLinks(ports.userSync.mailer, settings, logger) }
      : {}),
  };
  return {
    userSync,
    channels,
    presence: scheduledPresenceWork(presence, presenceConfigFrom(settings), channels),
    // Personal contacts: after the users, one gw3cx-contacts-requests message per user (contacts-worker).
    contacts: settings.syncPersonalContacts
      ? { nightly: () => fanOutContactRequests(userSync, contactSyncConfigFrom(settings)) }
      : undefined,
    digest: settings.mail.digest
      ? async () => {
          // Once a day: its own client on the hold subscriptions, closed when the digest is done.
          const deadLetters = createPubSubDeadLetterSource(settings);
          try {
            return await sendScheduledDigest(
              { ...userSync, deadLetters },
              scheduledDigestConfigFrom(settings),
            );
          } finally {
            await deadLetters.close();
          }
        }
      : undefined,
  };
});

cloudEvent<unknown>("dailySync", async (event: CloudEvent<unknown>) => {
  const { userSync, channels, presence, contacts, digest } = await deps();
  await handleSyncRequest(
    busMessageFromCloudEvent(event),
    userSync,
    userSyncConfigFrom(settings),
    channels,
    presence,
    contacts,
    digest,
  );
});
