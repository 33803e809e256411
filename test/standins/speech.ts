import { fileURLToPath } from "node:url";
import { type RunningStandIn, startProcess } from "./process.js";

const main = fileURLToPath(new URL("./speech/main.ts", import.meta.url));

/**
 * Our Speech-to-Text v2 stand-in (real gRPC protocol, from the protos @google-cloud/speech ships):
 * Recognize, BatchRecognize and its operations, recognizing with the local pocketsphinx engine.
 * `objectsFolder` serves gs://bucket/object from folder/bucket/object; without it gs:// goes through
 * @google-cloud/storage (STORAGE_EMULATOR_HOST in the environment reaches the Cloud Storage stand-in).
 */
export async function startSpeechStandIn(options: { objectsFolder?: string } = {}): Promise<RunningStandIn> {
  const args = [
    "--import",
    "tsx",
    main,
    ...(options.objectsFolder ? ["--objects-folder", options.objectsFolder] : []),
  ];
  return startProcess(
    "speech",
    process.execPath,
    args,
    /listening on (127\.0\.0\.1:\d+) admin (127\.0\.0\.1:\d+)/,
  );
}
