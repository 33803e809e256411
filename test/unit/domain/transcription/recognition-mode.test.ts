import { describe, expect, it } from "vitest";
import type { AudioFormat } from "../../../../shared/domain/transcription/audio-format.js";
import {
  recognitionModeOf,
  SHORT_AUDIO_MAX_BYTES,
} from "../../../../shared/domain/transcription/recognition-mode.js";

const wav = (durationSeconds?: number): AudioFormat => ({
  container: "wav",
  codec: "pcm_s16le",
  sampleRateHertz: 8000,
  channels: 1,
  ...(durationSeconds === undefined ? {} : { durationSeconds }),
});

describe("recognize or batchRecognize", () => {
  it("recognizes up to 55 s and 10 MB at once, and batches the rest", () => {
    expect(recognitionModeOf(wav(55), 880_000)).toBe("recognize");
    expect(recognitionModeOf(wav(55.01), 880_000)).toBe("batchRecognize");
    expect(recognitionModeOf(wav(30), SHORT_AUDIO_MAX_BYTES)).toBe("recognize");
    expect(recognitionModeOf(wav(30), SHORT_AUDIO_MAX_BYTES + 1)).toBe("batchRecognize");
  });

  it("batches audio whose length the header does not tell", () => {
    expect(recognitionModeOf(wav(), 1000)).toBe("batchRecognize");
  });
});
