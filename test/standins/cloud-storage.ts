import { fileURLToPath } from "node:url";
import { type RunningStandIn, startProcess } from "./process.js";

const main = fileURLToPath(new URL("./cloud-storage/main.ts", import.meta.url));

/**
 * Our Cloud Storage stand-in (the JSON API @google-cloud/storage speaks, over HTTP on loopback):
 * buckets, uploads (media, multipart, resumable), downloads with Range, listing, preconditions,
 * bucket notifications into the Pub/Sub stand-in at pubsubHost, V4 signed GETs.
 */
export async function startCloudStorageStandIn(pubsubHost?: string): Promise<RunningStandIn> {
  return startProcess(
    "cloud-storage",
    process.execPath,
    ["--import", "tsx", main, ...(pubsubHost ? ["--pubsub-host", pubsubHost] : [])],
    /listening on (127\.0\.0\.1:\d+) admin (127\.0\.0\.1:\d+)/,
  );
}
