import { fileURLToPath } from "node:url";
import { type RunningStandIn, startProcess } from "./process.js";

const main = fileURLToPath(new URL("./cloud-tasks/main.ts", import.meta.url));

/**
 * Our Cloud Tasks stand-in (real gRPC protocol, from the protos @google-cloud/tasks ships): queues,
 * HTTP tasks, name reservation, dispatch at the schedule time with the queue's rate limits and
 * retries. Google publishes no Cloud Tasks emulator; this one is in the repo and needs nothing else.
 */
export async function startCloudTasksStandIn(): Promise<RunningStandIn> {
  return startProcess(
    "cloud-tasks",
    process.execPath,
    ["--import", "tsx", main],
    /listening on (127\.0\.0\.1:\d+) admin (127\.0\.0\.1:\d+)/,
  );
}
