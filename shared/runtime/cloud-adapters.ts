import { PubSub } from "@google-cloud/pubsub";
import { PubSubBus } from "../adapters/pubsub/pubsub-bus.js";
import { PubSubDeadLetterSource } from "../adapters/pubsub/pubsub-dead-letter-source.js";
import type { Settings } from "../config/schema.js";
import { requireSetting } from "./require-setting.js";

// Firestore state lives in its own module (no Pub/Sub client with it); re-exported for the callers here.
export { createFirestoreState } from "./cloud-state.js";

/** Pub/Sub; the client library honours PUBSUB_EMULATOR_HOST for local runs. */
export function createPubSubBus(settings: Settings): PubSubBus {
  return new PubSubBus(new PubSub(settings.gcp.projectId ? { projectId: settings.gcp.projectId } : {}));
}

/** The dead letters kept on the hold subscriptions, read without consuming them. */
export function createPubSubDeadLetterSource(settings: Settings): PubSubDeadLetterSource {
  const projectId = requireSetting(settings.gcp.projectId, "gcp.projectId", "the Google Cloud project id");
  return new PubSubDeadLetterSource(new PubSub({ projectId }), projectId);
}
