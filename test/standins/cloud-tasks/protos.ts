import { loadShippedService } from "../shipped-protos.js";

/** The CloudTasks v2 service as @google-cloud/tasks ships it. */
export function loadCloudTasksService() {
  return loadShippedService(
    "@google-cloud/tasks",
    "google/cloud/tasks/v2/cloudtasks.proto",
    "google.cloud.tasks.v2.CloudTasks",
  );
}
