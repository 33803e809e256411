/**
 * Pub/Sub (gw3cx-calendar-changes): a user whose calendar changed or whose first channel opened.
 * Re-reads the calendar, sets 3CX presence for now and schedules the user's next boundary on the
 * Cloud Tasks queue. Throwing fails the push delivery, so Pub/Sub redelivers; malformed messages
 * are acked to the dead-letter topic with a reason instead.
 */
import { type CloudEvent, cloudEvent } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { Gw3cxError } from "../shared/errors.js";
import { createLogger } from "../shared/logging/logger.js";
import { createCloudPresencePorts } from "../shared/runtime/cloud-presence-ports.js";
import { once } from "../shared/runtime/once.js";
import { presenceConfigFrom } from "../shared/runtime/presence-config.js";
import { busMessageFromCloudEvent } from "../shared/runtime/pubsub-cloud-event.js";
import { handleCalendarChange } from "../shared/usecases/presence/handle-calendar-change.js";

const settings = loadSettings();
const logger = createLogger({ component: "presence-worker" }, { level: settings.logLevel });
const config = presenceConfigFrom(settings);
const ports = once(() => createCloudPresencePorts(settings, logger));

cloudEvent<unknown>("presenceWorker", async (event: CloudEvent<unknown>) => {
  const outcome = await handleCalendarChange(busMessageFromCloudEvent(event), await ports(), config);
  if (outcome === "nack") throw new Gw3cxError("RETRY", "presence not applied; redeliver");
});
