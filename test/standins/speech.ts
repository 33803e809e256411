import { fileURLToPath } from "node:url";
import { type RunningStandIn, startProcess } from "./process.js";

const main = fileURLToPath(new URL("./speech/main.ts", import.meta.url));

/**
 * Our Speech-to-Text v2 stand-in (real gRPC protocol, from the protos @google-cloud/speech ships):
 * Recognize, BatchRecognize and its operations, recognizing with the local pocketsphinx engine.
 * `objectsFolder` serves gs://bucket/object from folder/bucket/object; otherwise gs:// goes through
 * @google-cloud/storage to the Cloud Storage stand-in at `storageHost` (or STORAGE_EMULATOR_HOST).
 */
export async function startSpeechStandIn(
  options: { objectsFolder?: string; storageHost?: string } = {},
): Promise<RunningStandIn> {
  const args = ["--import", "tsx", main];
  if (options.objectsFolder) args.push("--objects-folder", options.objectsFolder);
  if (options.storageHost) args.push("--storage-host", options.storageHost);
  return startProcess(
    "speech",
    process.execPath,
    args,
    /listening on (127\.0\.0\.1:\d+) admin (127\.0\.0\.1:\d+)/,
  );
}
