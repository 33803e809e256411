import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpeechV2Transcriber } from "../../../shared/adapters/speech/speech-v2-transcriber.js";
import { isGw3cxError } from "../../../shared/errors.js";
import { encodeWithFfmpeg, librivoxClip, wordsFound } from "../../support/speech-clips.js";
import { startSpeechHarness } from "../../support/speech-stand-in-harness.js";

const clip = librivoxClip("0920");
let speech: Awaited<ReturnType<typeof startSpeechHarness>>;
let dir: string;
let longAudio: string;

function transcriber(options: Partial<ConstructorParameters<typeof SpeechV2Transcriber>[0]> = {}) {
  return new SpeechV2Transcriber({
    projectId: "gw3cx-test",
    location: "global",
    model: "telephony",
    pollIntervalMs: 200,
    env: { SPEECH_EMULATOR_HOST: speech.standIn.host },
    ...options,
  });
}

beforeAll(async () => {
  speech = await startSpeechHarness();
  dir = await mkdtemp(join(tmpdir(), "gw3cx-speech-v2-"));
  // 55 s of silence, then the clip: over Speech's 60 s sync limit, words at the end.
  const silence = encodeWithFfmpeg("anullsrc=r=16000:cl=mono", join(dir, "silence.wav"), [
    "-t",
    "55",
    "-c:a",
    "pcm_s16le",
  ]);
  longAudio = join(dir, "long.wav");
  encodeWithFfmpeg(silence, longAudio, [
    "-i",
    clip.path,
    "-filter_complex",
    "[0:a][1:a]concat=n=2:v=0:a=1",
    "-c:a",
    "pcm_s16le",
  ]);
});
afterAll(async () => {
  await speech?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("SpeechV2Transcriber (specific to Speech)", () => {
  it("takes audio over a minute to batchRecognize after Speech refuses it for recognize", async () => {
    const engine = transcriber();
    try {
      const audioUri = await speech.place(longAudio);
      const transcript = await engine.transcribe({ audioUri, languageCode: "en-US" });
      expect(wordsFound(clip, transcript.text), transcript.text).toBeGreaterThan(0.7);
      expect(transcript.segments[0]?.startSeconds).toBeGreaterThan(50);
      const calls = (await speech.calls()).filter((c) => c.audio.includes(audioUri));
      expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual([
        "Recognize INVALID_ARGUMENT",
        "BatchRecognize OK",
      ]);
    } finally {
      await engine.close();
    }
  });

  it("goes to batchRecognize at once when the caller says the audio is long", async () => {
    const engine = transcriber();
    try {
      const audioUri = await speech.place(longAudio);
      await engine.transcribe({ audioUri, languageCode: "en-US", durationSeconds: 61 });
      const calls = (await speech.calls()).filter((c) => c.audio.includes(audioUri));
      expect(calls.map((c) => c.method)).toEqual(["BatchRecognize"]);
    } finally {
      await engine.close();
    }
  });

  it("gives up waiting on an operation past its budget with TRANSCRIBE_FAILED naming the operation", async () => {
    const engine = transcriber({ batchTimeoutMs: 100, pollIntervalMs: 150 });
    try {
      const audioUri = await speech.place(longAudio);
      const error = await engine
        .transcribe({ audioUri, languageCode: "en-US", durationSeconds: 61 })
        .catch((e: unknown) => e);
      expect(isGw3cxError(error, "TRANSCRIBE_FAILED")).toBe(true);
      expect((error as Error).message).toMatch(
        /still running .* \(operation projects\/gw3cx-test\/locations\/global\/operations\//,
      );
    } finally {
      await engine.close();
    }
  });

  it("refuses a URI that is not gs:// and names a missing object's failure", async () => {
    const engine = transcriber();
    try {
      const local = await engine
        .transcribe({ audioUri: clip.path, languageCode: "en-US" })
        .catch((e: unknown) => e);
      expect(isGw3cxError(local, "TRANSCRIBE_FAILED")).toBe(true);
      const missing = await engine
        .transcribe({ audioUri: "gs://audio/recordings/gone.wav", languageCode: "en-US" })
        .catch((e: unknown) => e);
      expect(isGw3cxError(missing, "TRANSCRIBE_FAILED")).toBe(true);
      expect((missing as Error).message).toContain("gs://audio/recordings/gone.wav");
    } finally {
      await engine.close();
    }
  });
});
