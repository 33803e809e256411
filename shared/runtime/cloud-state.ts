import { Firestore } from "@google-cloud/firestore";
import { FirestoreStateStore } from "../adapters/firestore/firestore-state-store.js";
import type { Settings } from "../config/schema.js";

/**
 * Firestore state; the client library honours FIRESTORE_EMULATOR_HOST for local runs. On its own,
 * so a function can have its state without loading the Pub/Sub client (lazy-pubsub-bus.ts).
 */
export function createFirestoreState(settings: Settings): FirestoreStateStore {
  return new FirestoreStateStore(
    new Firestore({
      ...(settings.gcp.projectId ? { projectId: settings.gcp.projectId } : {}),
      ignoreUndefinedProperties: true,
    }),
  );
}
