import { copyFileSync, mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalFolderObjectStorage } from "../../../../shared/adapters/local/local-folder-object-storage.js";
import { detectAudioFormat } from "../../../../shared/domain/transcription/audio-format.js";
import { readAudioSample } from "../../../../shared/usecases/transcription/read-audio-sample.js";
import { encodeWithFfmpeg, LIBRIVOX_0920 } from "../../../support/audio-fixtures.js";

/** The clip looped 31 times: 3 minutes 7.55 s, several MB, read through a stream. */
const LOOPS = 30;
const SECONDS = 6.05 * (LOOPS + 1);

function storageWith(name: string, file: string) {
  const root = mkdtempSync(join(tmpdir(), "gw3cx-sample-"));
  mkdirSync(join(root, "recordings", "1001"), { recursive: true });
  copyFileSync(file, join(root, "recordings", "1001", name));
  return new LocalFolderObjectStorage({ root });
}

describe("reading an audio object's format without holding it whole", () => {
  it("reads a long WAV's header from its first bytes and its length from the header", async () => {
    const looped = encodeLooped("long.wav", ["-c:a", "pcm_s16le"]);
    const storage = storageWith("long.wav", looped);
    const sample = await readAudioSample(storage, "recordings/1001/long.wav");
    expect(sample.head.length).toBe(256 * 1024);
    expect(sample.tail).toBeUndefined();
    expect(sample.totalBytes).toBe(statSync(looped).size);
    const detected = detectAudioFormat(sample.head, sample);
    expect(detected.ok && detected.format.durationSeconds).toBeCloseTo(SECONDS, 0);
  });

  it("keeps only the end of a long Ogg Opus, where its length is", async () => {
    const looped = encodeLooped("long.opus", ["-c:a", "libopus"]);
    const storage = storageWith("long.opus", looped);
    const sample = await readAudioSample(storage, "recordings/1001/long.opus");
    expect(sample.head.length).toBe(256 * 1024);
    expect(sample.tail?.length).toBe(64 * 1024);
    const detected = detectAudioFormat(sample.head, sample);
    expect(detected).toMatchObject({ ok: true, format: { codec: "opus" } });
    expect(detected.ok && detected.format.durationSeconds).toBeCloseTo(SECONDS, 0);
  });
});

function encodeLooped(name: string, codec: string[]): string {
  return encodeWithFfmpeg(LIBRIVOX_0920, name, codec, ["-stream_loop", String(LOOPS)]);
}
