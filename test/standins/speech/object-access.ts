import { createWriteStream } from "node:fs";
import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { SpeechFault } from "./speech-fault.js";

/** How the stand-in reaches gs:// objects: Speech reads the audio and writes batch results there. */
export interface ObjectAccess {
  /** Copies the object into `localPath`; returns its size. NOT_FOUND when it does not exist. */
  download(uri: string, localPath: string): Promise<number>;
  upload(uri: string, content: string, contentType: string): Promise<void>;
}

export function parseGcsUri(uri: string): { bucket: string; name: string } {
  const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match)
    throw new SpeechFault("INVALID_ARGUMENT", `Invalid audio URI "${uri}": expected gs://bucket/object`);
  return { bucket: match[1] as string, name: match[2] as string };
}

/** Through @google-cloud/storage: Cloud Storage, or its stand-in when STORAGE_EMULATOR_HOST is set. */
export function cloudStorageAccess(): ObjectAccess {
  const storage = import("@google-cloud/storage").then(
    ({ Storage }) => new Storage({ projectId: "gw3cx-test" }),
  );
  return {
    async download(uri, localPath) {
      const { bucket, name } = parseGcsUri(uri);
      const file = (await storage).bucket(bucket).file(name);
      const [exists] = await file.exists();
      if (!exists) throw new SpeechFault("NOT_FOUND", `Unable to access audio at ${uri}: no such object.`);
      await pipeline(file.createReadStream(), createWriteStream(localPath));
      return (await stat(localPath)).size;
    },
    async upload(uri, content, contentType) {
      const { bucket, name } = parseGcsUri(uri);
      await (await storage).bucket(bucket).file(name).save(content, { contentType, resumable: false });
    },
  };
}

/** Objects as files under `root/bucket/name`, for tests that run without a Cloud Storage stand-in. */
export function folderAccess(root: string): ObjectAccess {
  return {
    async download(uri, localPath) {
      const { bucket, name } = parseGcsUri(uri);
      try {
        await copyFile(join(root, bucket, name), localPath);
      } catch {
        throw new SpeechFault("NOT_FOUND", `Unable to access audio at ${uri}: no such object.`);
      }
      return (await stat(localPath)).size;
    },
    async upload(uri, content) {
      const { bucket, name } = parseGcsUri(uri);
      const target = join(root, bucket, name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    },
  };
}
