import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";
import { TranscriberError } from "../../../shared/ports/transcriber.js";
import { encodeWithFfmpeg, librivoxClip, wordsFound } from "../../support/speech-clips.js";

const engine = new PocketsphinxTranscriber();
const clip = librivoxClip("0920");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gw3cx-pocketsphinx-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<TranscriberError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TranscriberError);
  return error as TranscriberError;
}

describe("PocketsphinxTranscriber (specific to the local engine)", () => {
  it("reads MP3 and Opus as 3CX writes them when set to compress", async () => {
    const mp3 = encodeWithFfmpeg(clip.path, join(dir, "clip.mp3"), ["-c:a", "libmp3lame", "-b:a", "64k"]);
    const opus = encodeWithFfmpeg(clip.path, join(dir, "clip.opus"), ["-c:a", "libopus", "-b:a", "32k"]);
    for (const audioUri of [mp3, opus]) {
      const transcript = await engine.transcribe({ audioUri, languageCode: "en-US" });
      expect(wordsFound(clip, transcript.text), `${audioUri}: ${transcript.text}`).toBeGreaterThan(0.6);
    }
  });

  it("reads 8 kHz mu-law WAV (telephony) and accepts a file: URL", async () => {
    const mulaw = encodeWithFfmpeg(clip.path, join(dir, "clip-mulaw.wav"), [
      "-ar",
      "8000",
      "-c:a",
      "pcm_mulaw",
    ]);
    const transcript = await engine.transcribe({ audioUri: `file://${mulaw}`, languageCode: "en-US" });
    // The 16 kHz model hears 8 kHz audio poorly: only that it was decoded, with times, is asserted.
    expect(transcript.segments.length).toBeGreaterThan(0);
    expect(transcript.segments.at(-1)?.endSeconds).toBeLessThanOrEqual(7);
  });

  it("refuses language other than en-US with its own code", async () => {
    const error = await failure(engine.transcribe({ audioUri: clip.path, languageCode: "de-DE" }));
    expect(error.code).toBe("TRANSCRIBE_LANGUAGE_UNSUPPORTED");
    expect(error.message).toContain('"de-DE"');
  });

  it("names the Debian packages when a program is missing", async () => {
    const missing = new PocketsphinxTranscriber({ pocketsphinxPath: "/nonexistent/pocketsphinx_continuous" });
    const error = await failure(missing.transcribe({ audioUri: clip.path, languageCode: "en-US" }));
    expect(error.code).toBe("TRANSCRIBE_ENGINE_MISSING");
    expect(error.message).toContain("pocketsphinx-en-us");
  });

  it("stops a recognizer that runs past its timeout", async () => {
    const slow = join(dir, "slow-recognizer");
    await writeFile(slow, "#!/bin/sh\nexec sleep 30\n");
    await chmod(slow, 0o755);
    const stuck = new PocketsphinxTranscriber({ pocketsphinxPath: slow, recognizeTimeoutMs: 300 });
    const started = Date.now();
    const error = await failure(stuck.transcribe({ audioUri: clip.path, languageCode: "en-US" }));
    expect(error.code).toBe("TRANSCRIBE_FAILED");
    expect(error.message).toContain("within 300 ms");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
