/**
 * Pub/Sub (gw3cx-contacts-requests, one message per user from the nightly run): that user's labelled
 * Google contacts into their 3CX personal phonebook, and the result added to the run. Throwing
 * fails the push delivery, so Pub/Sub redelivers (another worker on the user: nack); malformed
 * messages are acked to the dead-letter topic with a reason instead.
 */
import { type CloudEvent, cloudEvent } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { Gw3cxError } from "../shared/errors.js";
import { createLogger } from "../shared/logging/logger.js";
import { createCloudUserSyncPorts } from "../shared/runtime/cloud-user-sync-ports.js";
import { contactSyncConfigFrom } from "../shared/runtime/contacts-config.js";
import { lazyPubSubBus } from "../shared/runtime/lazy-pubsub-bus.js";
import { once } from "../shared/runtime/once.js";
import { busMessageFromCloudEvent } from "../shared/runtime/pubsub-cloud-event.js";
import { handleContactsRequest } from "../shared/usecases/contacts/handle-contacts-request.js";

const settings = loadSettings();
const logger = createLogger({ component: "contacts-worker" }, { level: settings.logLevel });
const config = contactSyncConfigFrom(settings);
const ports = once(async () => ({
  ...(await createCloudUserSyncPorts(settings, logger)),
  // Only a malformed message publishes (to the dead-letter topic): the client loads then.
  bus: lazyPubSubBus(settings),
}));

cloudEvent<unknown>("contactsWorker", async (event: CloudEvent<unknown>) => {
  const outcome = await handleContactsRequest(busMessageFromCloudEvent(event), await ports(), config);
  if (outcome === "nack")
    throw new Gw3cxError("RETRY", "another worker is syncing this user's contacts; redeliver");
});
