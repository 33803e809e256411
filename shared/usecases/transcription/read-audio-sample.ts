import type { ObjectStorage } from "../../ports/object-storage.js";

/** Enough of the start for every header gw3cx reads (an MP3's ID3 tag with a cover image included). */
const HEAD_BYTES = 256 * 1024;
/** Enough of the end to hold an Ogg file's last page (at most 65,307 bytes). */
const TAIL_BYTES = 64 * 1024;

/**
 * The start of an object and, for Ogg (whose length is in its last page), its end, read as a
 * stream: a 60-minute recording is never held whole in memory. Other formats stop after the head.
 */
export async function readAudioSample(
  storage: ObjectStorage,
  path: string,
): Promise<{ head: Buffer; tail?: Buffer; totalBytes: number }> {
  const stream = await storage.openReadStream(path);
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let tail: Buffer | undefined;
  let totalBytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      totalBytes += chunk.length;
      if (headLength < HEAD_BYTES) {
        headChunks.push(chunk);
        headLength += chunk.length;
        if (headLength < HEAD_BYTES) continue;
        if (Buffer.concat(headChunks).subarray(0, 4).toString("latin1") !== "OggS") break;
        tail = Buffer.concat(headChunks).subarray(-TAIL_BYTES);
        continue;
      }
      tail = Buffer.concat([tail ?? Buffer.alloc(0), chunk]).subarray(-TAIL_BYTES);
    }
  } finally {
    stream.destroy();
  }
  const head = Buffer.concat(headChunks).subarray(0, HEAD_BYTES);
  const size = headLength < HEAD_BYTES || tail ? totalBytes : undefined;
  return {
    head,
    ...(tail ? { tail } : {}),
    totalBytes: size ?? (await storage.stat(path))?.size ?? totalBytes,
  };
}
