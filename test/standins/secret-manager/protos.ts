import { loadShippedService } from "../shipped-protos.js";

/** Secret Manager v1 as @google-cloud/secret-manager ships it. */
export function loadSecretManagerService() {
  return loadShippedService(
    "@google-cloud/secret-manager",
    "google/cloud/secretmanager/v1/service.proto",
    "google.cloud.secretmanager.v1.SecretManagerService",
  );
}
