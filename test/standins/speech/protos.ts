import { createRequire } from "node:module";
import type * as Protobuf from "protobufjs";
import { loadShippedService } from "../shipped-protos.js";

/** Speech-to-Text v2 as @google-cloud/speech ships it, and the Operations service its client polls. */
export function loadSpeechServices() {
  const speech = loadShippedService(
    "@google-cloud/speech",
    "google/cloud/speech/v2/cloud_speech.proto",
    "google.cloud.speech.v2.Speech",
  );
  const operations = loadShippedService(
    "@google-cloud/speech",
    "google/longrunning/operations.proto",
    "google.longrunning.Operations",
  );
  return { grpc: speech.grpc, speech: speech.service, operations: operations.service };
}

/**
 * Packs a message into a google.protobuf.Any the way Speech does for an Operation's metadata and
 * response, with the client's own bundled descriptors (build/protos/protos.json).
 */
export function anyPacker(): (
  typeName: string,
  value: Record<string, unknown>,
) => { typeUrl: string; value: Buffer } {
  const require = createRequire(import.meta.url);
  const gaxRequire = createRequire(require.resolve("google-gax"));
  const protobuf = gaxRequire("protobufjs") as typeof Protobuf;
  const root = protobuf.Root.fromJSON(require("@google-cloud/speech/build/protos/protos.json"));
  return (typeName, value) => {
    const type = root.lookupType(typeName);
    return {
      typeUrl: `type.googleapis.com/${typeName}`,
      value: Buffer.from(type.encode(type.fromObject(value)).finish()),
    };
  };
}
