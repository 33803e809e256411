/**
 * Pub/Sub (gw3cx-recordings, Cloud Storage notifications for objects finalized under recordings/
 * and voicemails/): the recording's transcript, JSON and plain text, written beside it by
 * Speech-to-Text v2. Throwing fails the push delivery, so Pub/Sub redelivers (a quota, another
 * worker on the same object); unreadable audio and malformed messages are acked to the
 * dead-letter topic with the object and the reason instead.
 */
import { type CloudEvent, cloudEvent } from "@google-cloud/functions-framework";
import { loadSettings } from "../shared/config/load-settings.js";
import { Gw3cxError } from "../shared/errors.js";
import { createLogger } from "../shared/logging/logger.js";
import { createCloudTranscriptionPorts } from "../shared/runtime/cloud-transcription-ports.js";
import { once } from "../shared/runtime/once.js";
import { busMessageFromCloudEvent } from "../shared/runtime/pubsub-cloud-event.js";
import { transcriptionConfigFrom } from "../shared/runtime/transcription-config.js";
import { handleRecordingNotification } from "../shared/usecases/transcription/handle-recording-notification.js";

const settings = loadSettings();
const logger = createLogger({ component: "transcription-worker" }, { level: settings.logLevel });
const config = transcriptionConfigFrom(settings, `speech-v2/${settings.transcription.model}`);
const ports = once(() => createCloudTranscriptionPorts(settings, logger));

cloudEvent<unknown>("transcriptionWorker", async (event: CloudEvent<unknown>) => {
  const outcome = await handleRecordingNotification(busMessageFromCloudEvent(event), await ports(), config);
  if (outcome === "nack") throw new Gw3cxError("RETRY", "the recording is not transcribed yet; redeliver");
});
