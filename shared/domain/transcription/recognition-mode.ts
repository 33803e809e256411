import type { AudioFormat } from "./audio-format.js";

/**
 * Speech-to-Text's synchronous recognize takes at most 60 s or 10 MB of audio; gw3cx keeps a
 * margin of 5 s, since a header's duration can be an estimate (MP3) or slightly short.
 */
export const SHORT_AUDIO_MAX_SECONDS = 55;
export const SHORT_AUDIO_MAX_BYTES = 10 * 1024 * 1024;

export type RecognitionMode = "recognize" | "batchRecognize";

/** recognize for short audio, batchRecognize (a long-running operation) for the rest and for unknown lengths. */
export function recognitionModeOf(format: AudioFormat, sizeBytes: number): RecognitionMode {
  if (format.durationSeconds === undefined) return "batchRecognize";
  return format.durationSeconds <= SHORT_AUDIO_MAX_SECONDS && sizeBytes <= SHORT_AUDIO_MAX_BYTES
    ? "recognize"
    : "batchRecognize";
}
