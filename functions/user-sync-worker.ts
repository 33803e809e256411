/**
 * Pub/Sub (gw3cx-directory-changes): one Workspace user changed. Re-reads that user from Google
 * and 3CX and applies its plan. Throwing fails the push delivery, so Pub/Sub redelivers;
 * malformed messages are acked to the dead-letter topic with a reason instead.
 */
import { type CloudEvent, cloudEvent } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { Gw3cxError } from "../shared/errors.js";
import { createLogger } from "../shared/logging/logger.js";
import { createPubSubBus } from "../shared/runtime/cloud-adapters.js";
import { createCloudUserSyncPorts } from "../shared/runtime/cloud-user-sync-ports.js";
import { once } from "../shared/runtime/once.js";
import { busMessageFromCloudEvent } from "../shared/runtime/pubsub-cloud-event.js";
import { userSyncConfigFrom } from "../shared/runtime/user-sync-config.js";
import { handleDirectoryChange } from "../shared/usecases/user-sync/handle-directory-change.js";

const settings = loadSettings();
const logger = createLogger({ component: "user-sync-worker" }, { level: settings.logLevel });
const config = userSyncConfigFrom(settings);
const ports = once(async () => ({
  ...(await createCloudUserSyncPorts(settings, logger)),
  bus: createPubSubBus(settings),
}));

cloudEvent<unknown>("userSyncWorker", async (event: CloudEvent<unknown>) => {
  const outcome = await handleDirectoryChange(busMessageFromCloudEvent(event), await ports(), config);
  if (outcome === "nack") throw new Gw3cxError("RETRY", "user sync not finished; redeliver");
});
