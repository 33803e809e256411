import type { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";
import { isGw3cxError } from "../../../shared/errors.js";
import type { PreparedAudio } from "./audio.js";
import type { CheckedConfig } from "./request-checks.js";
import { SpeechFault } from "./speech-fault.js";

export interface Duration {
  seconds: string;
  nanos: number;
}

export function duration(seconds: number): Duration {
  const whole = Math.floor(seconds);
  return { seconds: String(whole), nanos: Math.round((seconds - whole) * 1e9) };
}

/** SpeechRecognitionResult messages (v2, as proto-loader objects) for what the engine heard. */
export async function recognizeResults(
  engine: PocketsphinxTranscriber,
  audio: PreparedAudio,
  config: CheckedConfig,
): Promise<Record<string, unknown>[]> {
  try {
    const utterances = await engine.utterances({ audioUri: audio.path, languageCode: config.languageCode });
    return utterances.map((utterance) => {
      const words = utterance.words;
      const last = words[words.length - 1];
      const confidence = words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
      const wordInfos =
        config.wordTimes || config.wordConfidence
          ? words.map((w) => ({
              word: w.word,
              ...(config.wordTimes
                ? { startOffset: duration(w.startSeconds), endOffset: duration(w.endSeconds) }
                : {}),
              ...(config.wordConfidence ? { confidence: w.confidence } : {}),
            }))
          : [];
      return {
        alternatives: [{ transcript: words.map((w) => w.word).join(" "), confidence, words: wordInfos }],
        resultEndOffset: duration(last?.endSeconds ?? 0),
        languageCode: config.languageCode.toLowerCase(),
      };
    });
  } catch (error) {
    if (isGw3cxError(error, "TRANSCRIBE_UNSUPPORTED_AUDIO"))
      throw new SpeechFault("INVALID_ARGUMENT", error.message);
    throw new SpeechFault(
      "INTERNAL",
      `recognition failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** A Duration in the proto3 JSON mapping ("1.500s"), as Speech writes result files. */
function jsonDuration(d: Duration): string {
  return `${d.seconds}${d.nanos ? `.${String(d.nanos).padStart(9, "0").replace(/0+$/, "")}` : ""}s`;
}

/** BatchRecognizeResults in the proto3 JSON mapping, the content of a gcs_output_config result file. */
export function resultsAsJson(results: Record<string, unknown>[], billedSeconds: number): string {
  const convert = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.seconds === "string" && typeof record.nanos === "number") {
        return jsonDuration(record as unknown as Duration);
      }
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, convert(v)]));
    }
    return value;
  };
  return JSON.stringify({
    results: convert(results),
    metadata: { totalBilledDuration: jsonDuration(duration(Math.ceil(billedSeconds))) },
  });
}
