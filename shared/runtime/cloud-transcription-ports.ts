import { systemClock } from "../adapters/clock/system-clock.js";
import { GcsObjectStorage } from "../adapters/gcs/gcs-object-storage.js";
import { SpeechV2Transcriber } from "../adapters/speech/speech-v2-transcriber.js";
import { stateStoreDelegationHealth } from "../adapters/state/state-store-delegation-health.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import { linkedExtensionOwners } from "../usecases/transcription/extension-owners.js";
import type { TranscriptionHandlerPorts } from "../usecases/transcription/transcription-ports.js";
import { createFirestoreState, createPubSubBus } from "./cloud-adapters.js";
import { requireSetting } from "./require-setting.js";
import { createWorkspaceAdapters } from "./workspace-adapters.js";

/**
 * The transcription worker in the cloud: the archive bucket, Speech-to-Text v2, Firestore, Pub/Sub.
 * Workspace (owners' emails, Gmail) is reached only when a voicemail may be mailed or a user's
 * language is keyed by email: otherwise the worker needs no delegation at all.
 */
export async function createCloudTranscriptionPorts(
  settings: Settings,
  logger: Logger,
): Promise<TranscriptionHandlerPorts> {
  const bucket = requireSetting(
    settings.storage.bucket,
    "storage.bucket",
    "the archive bucket (infra output archive_bucket)",
  );
  const projectId = requireSetting(settings.gcp.projectId, "gcp.projectId", "the Google Cloud project id");
  const state = createFirestoreState(settings);
  const transcription = settings.transcription;
  const needsWorkspace =
    transcription.mailVoicemails || Object.keys(transcription.userLanguages).some((key) => key.includes("@"));
  const workspace = needsWorkspace
    ? await createWorkspaceAdapters(settings, logger, process.env, {
        delegationHealth: stateStoreDelegationHealth(state),
      })
    : undefined;
  return {
    storage: new GcsObjectStorage({ bucket }),
    transcriber: new SpeechV2Transcriber({
      projectId,
      location: transcription.location,
      model: transcription.model,
    }),
    state,
    clock: systemClock,
    logger,
    bus: createPubSubBus(settings),
    audioUriOf: (path) => `gs://${bucket}/${path}`,
    ...(workspace
      ? { owners: linkedExtensionOwners(state, workspace.directory), mailer: workspace.mailer }
      : {}),
  };
}
