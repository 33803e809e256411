/**
 * Pub/Sub (gw3cx-sync-requests, from Cloud Scheduler at GW_SYNC_TIME): the nightly full reconcile
 * of every user, then renewal of the Directory watch channels before they expire. A malformed
 * request goes to the dead-letter topic with the reason.
 */
import { type CloudEvent, cloudEvent } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { resolveSecret } from "../shared/config/resolve-secret.js";
import { createLogger } from "../shared/logging/logger.js";
import { createPubSubBus } from "../shared/runtime/cloud-adapters.js";
import { createCloudUserSyncPorts } from "../shared/runtime/cloud-user-sync-ports.js";
import { contactSyncConfigFrom } from "../shared/runtime/contacts-config.js";
import { once } from "../shared/runtime/once.js";
import { busMessageFromCloudEvent } from "../shared/runtime/pubsub-cloud-event.js";
import { requireSetting } from "../shared/runtime/require-setting.js";
import { userSyncConfigFrom } from "../shared/runtime/user-sync-config.js";
import { fanOutContactRequests } from "../shared/usecases/contacts/fan-out-contact-requests.js";
import { handleSyncRequest } from "../shared/usecases/user-sync/handle-sync-request.js";

const settings = loadSettings();
const logger = createLogger({ component: "daily-sync" }, { level: settings.logLevel });
const ports = once(async () => ({
  ...(await createCloudUserSyncPorts(settings, logger)),
  bus: createPubSubBus(settings),
}));

cloudEvent<unknown>("dailySync", async (event: CloudEvent<unknown>) => {
  const resolved = await ports();
  // Personal contacts: after the users, one gw3cx-contacts-requests message per user (contacts-worker).
  const contacts = settings.syncPersonalContacts
    ? { nightly: () => fanOutContactRequests(resolved, contactSyncConfigFrom(settings)) }
    : undefined;
  await handleSyncRequest(
    busMessageFromCloudEvent(event),
    resolved,
    userSyncConfigFrom(settings),
    {
      webhookUrl: requireSetting(
        settings.google.directoryWebhookUrl,
        "google.directoryWebhookUrl",
        "the Directory webhook's HTTPS URL",
      ),
      channelToken: resolveSecret(
        requireSetting(settings.google.channelToken, "google.channelToken", "env:NAME of the channel token"),
        "google.channelToken",
      ),
    },
    undefined,
    contacts,
  );
});
