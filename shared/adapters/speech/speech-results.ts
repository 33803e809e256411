import type { TranscriptSegment } from "../../ports/transcriber.js";

/** The parts of Speech v2's SpeechRecognitionResult read here (the client's decoded objects). */
export interface RecognitionResultLike {
  alternatives?: Array<{
    transcript?: string | null;
    confidence?: number | null;
    words?: Array<{ startOffset?: DurationLike | null; endOffset?: DurationLike | null }> | null;
  }> | null;
  resultEndOffset?: DurationLike | null;
}

export interface DurationLike {
  seconds?: number | string | { toString(): string } | null;
  nanos?: number | null;
}

export function secondsOf(duration: DurationLike | null | undefined): number | undefined {
  if (!duration) return undefined;
  return Number(String(duration.seconds ?? 0)) + (duration.nanos ?? 0) / 1e9;
}

/**
 * One transcript segment per Speech result (Speech splits at pauses, as the local engine does):
 * it starts at its first word (word times are asked for) or where the previous result ended.
 */
export function segmentsOf(results: readonly RecognitionResultLike[]): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let previousEnd = 0;
  for (const result of results) {
    const best = result.alternatives?.[0];
    const text = best?.transcript?.trim() ?? "";
    const words = best?.words ?? [];
    const end = secondsOf(result.resultEndOffset) ?? secondsOf(words.at(-1)?.endOffset) ?? previousEnd;
    const start = Math.max(previousEnd, secondsOf(words[0]?.startOffset) ?? previousEnd);
    previousEnd = Math.max(previousEnd, end);
    if (text === "") continue;
    segments.push({
      text,
      startSeconds: round(start),
      endSeconds: round(Math.max(end, start)),
      ...(best?.confidence ? { confidence: round(best.confidence) } : {}),
    });
  }
  return segments;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
