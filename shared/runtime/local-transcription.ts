import { resolve } from "node:path";
import { LocalFolderObjectStorage } from "../adapters/local/local-folder-object-storage.js";
import { PocketsphinxTranscriber } from "../adapters/local/pocketsphinx-transcriber.js";
import {
  StorageFolderWatcher,
  type StorageFolderWatcherOptions,
} from "../adapters/local/storage-folder-watcher.js";
import { objectFinalizedNotification } from "../domain/transcription/storage-notification.js";
import { deadLetterTopicOf, MAX_DELIVERY_ATTEMPTS, TOPICS } from "../messaging/topics.js";
import type { Subscription } from "../ports/bus.js";
import type { ObjectStorage } from "../ports/object-storage.js";
import type { Transcriber } from "../ports/transcriber.js";
import { linkedExtensionOwners } from "../usecases/transcription/extension-owners.js";
import { handleRecordingNotification } from "../usecases/transcription/handle-recording-notification.js";
import type {
  TranscriptionConfig,
  TranscriptionHandlerPorts,
} from "../usecases/transcription/transcription-ports.js";
import type { Runtime } from "./embedded-runtime.js";
import { transcriptionConfigFrom } from "./transcription-config.js";

/** The bucket name the local folder's notifications carry (there is no bucket). */
export const LOCAL_BUCKET = "local-storage";
/** The local engine's name in each transcript. */
export const LOCAL_ENGINE = "pocketsphinx";
/**
 * Files transcribed at once. Recognition is CPU-bound (pocketsphinx uses one core per file), so
 * more than two would only make each one slower on a small machine.
 */
export const LOCAL_TRANSCRIPTION_CONCURRENCY = 2;

export interface LocalTranscriptionOptions {
  /** Defaults to the runtime's folder storage (storage.localDir). */
  storage?: ObjectStorage & { root?: string };
  /** Defaults to pocketsphinx. */
  transcriber?: Transcriber;
  watcher?: StorageFolderWatcherOptions;
}

/** The transcription ports on one machine: the storage folder, pocketsphinx, user sync's links for owners. */
export function localTranscriptionPorts(
  runtime: Runtime,
  options: LocalTranscriptionOptions = {},
): { ports: TranscriptionHandlerPorts; config: TranscriptionConfig; root: string } {
  // The runtime's own folder storage when it has one (its read links included), so both agree.
  const folder =
    runtime.objectStorage instanceof LocalFolderObjectStorage ? runtime.objectStorage : undefined;
  const root = resolve(options.storage?.root ?? folder?.root ?? runtime.settings.storage.localDir);
  const storage = options.storage ?? folder ?? new LocalFolderObjectStorage({ root });
  const { state, bus, clock, logger, directory, mailer } = runtime.userSync;
  return {
    root,
    config: transcriptionConfigFrom(runtime.settings, LOCAL_ENGINE),
    ports: {
      storage,
      transcriber: options.transcriber ?? new PocketsphinxTranscriber(),
      state,
      bus,
      clock,
      logger,
      // The folder storage keeps each object at its own path under the root.
      audioUriOf: (path) => resolve(root, path),
      owners: linkedExtensionOwners(state, directory),
      ...(mailer ? { mailer } : {}),
    },
  };
}

export interface LocalTranscription {
  /** The folder watched (storage.localDir, absolute). */
  root: string;
  /** One scan now (tests; the watcher scans every second by itself). */
  scan(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What Cloud Storage notifications and the transcription function are in the cloud, on one machine:
 * the storage folder's watcher publishes a notification for each finished recording or voicemail
 * on the recordings topic, and a subscriber transcribes it with the local engine.
 */
export async function startLocalTranscription(
  runtime: Runtime,
  options: LocalTranscriptionOptions = {},
): Promise<LocalTranscription> {
  const { ports, config, root } = localTranscriptionPorts(runtime, options);
  const subscription: Subscription = await ports.bus.subscribe(
    {
      topic: TOPICS.recordings,
      name: "gw3cx-transcription-worker",
      // A long recording keeps its delivery for a while; the claim, not the deadline, keeps it single.
      ackDeadlineSeconds: 600,
      maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
      deadLetterTopic: deadLetterTopicOf(TOPICS.recordings),
      maxConcurrent: LOCAL_TRANSCRIPTION_CONCURRENCY,
    },
    (message) => handleRecordingNotification(message, ports, config),
  );
  const watcher = new StorageFolderWatcher(
    root,
    async (file) => {
      const notification = objectFinalizedNotification({
        bucket: LOCAL_BUCKET,
        name: file.path,
        generation: file.generation,
        size: file.size,
        updated: file.mtime,
      });
      await ports.bus.publish(TOPICS.recordings, notification.data, notification.attributes);
      ports.logger.event("recordingNoticed", { object: file.path, bytes: file.size });
    },
    { logger: ports.logger, ...options.watcher },
  );
  watcher.start();
  return {
    root,
    scan: () => watcher.scan(),
    async close() {
      await watcher.close();
      await subscription.close();
    },
  };
}
