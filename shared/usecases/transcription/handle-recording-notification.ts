import { sendToDeadLetter } from "../../messaging/dead-letter.js";
import { describeInvalidMessage } from "../../messaging/describe-invalid-message.js";
import { MAX_DELIVERY_ATTEMPTS, TOPICS } from "../../messaging/topics.js";
import type { Acknowledgement, BusMessage } from "../../ports/bus.js";
import { describeInvalidAttributes, objectResourceSchema } from "./recording-notification.js";
import { transcribeRecording } from "./transcribe-recording.js";
import type { TranscriptionConfig, TranscriptionHandlerPorts } from "./transcription-ports.js";
import { TranscriptionStore } from "./transcription-store.js";

/**
 * The transcription worker's handling of one Cloud Storage notification (or the local folder
 * watcher's look-alike). Malformed -> dead-letter naming the field and value, ack. Not a
 * finalized object, or transcription off -> ack. Unreadable audio -> dead-letter with the object
 * and reason, ack (retrying cannot help). Another worker on it, or a failure that may pass
 * (quota, unavailable) -> nack, redelivered; on the last delivery attempt it is dead-lettered
 * with the object and the last error instead, so the reason is kept.
 */
export async function handleRecordingNotification(
  message: BusMessage,
  ports: TranscriptionHandlerPorts,
  config: TranscriptionConfig,
): Promise<Acknowledgement> {
  const invalid =
    describeInvalidAttributes(message.attributes) ??
    describeInvalidMessage(message.data, objectResourceSchema);
  if (invalid) {
    await sendToDeadLetter(ports.bus, ports.logger, TOPICS.recordings, message, invalid);
    return "ack";
  }
  if (message.attributes.eventType !== "OBJECT_FINALIZE") return "ack";
  const object = objectResourceSchema.parse(JSON.parse(message.data.toString("utf8")));
  if (!config.enabled) {
    ports.logger.event("transcriptionOff", { object: object.name });
    return "ack";
  }
  const lastAttempt = message.deliveryAttempt >= MAX_DELIVERY_ATTEMPTS;
  try {
    const result = await transcribeRecording(
      ports,
      { path: object.name, generation: object.generation },
      config,
    );
    // A duplicate of an event already dead-lettered is not dead-lettered twice.
    if (result.outcome === "refused" && result.repeated) return "ack";
    if (result.outcome === "refused") {
      await sendToDeadLetter(
        ports.bus,
        ports.logger,
        TOPICS.recordings,
        message,
        `${result.path}: ${result.reason}`,
      );
      return "ack";
    }
    if (result.outcome !== "busy") return "ack";
    if (!lastAttempt) return "nack";
    await sendToDeadLetter(
      ports.bus,
      ports.logger,
      TOPICS.recordings,
      message,
      `${object.name}: still being transcribed by ${result.heldBy} after ${message.deliveryAttempt} delivery attempts`,
    );
    return "ack";
  } catch (error) {
    const reason = `${object.name}: ${error instanceof Error ? error.message : String(error)}`;
    if (!lastAttempt) {
      ports.logger.event("transcriptionRetry", {
        object: object.name,
        attempt: message.deliveryAttempt,
        error,
      });
      return "nack";
    }
    ports.logger.event("transcriptionFailed", {
      object: object.name,
      attempt: message.deliveryAttempt,
      error,
    });
    await new TranscriptionStore(ports.state).markFailed(object.name, reason, ports.clock.now());
    await sendToDeadLetter(ports.bus, ports.logger, TOPICS.recordings, message, reason);
    return "ack";
  }
}
