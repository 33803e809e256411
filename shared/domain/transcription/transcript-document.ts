import type { ArchiveKind } from "./archive-layout.js";
import type { AudioFormat } from "./audio-format.js";

export interface TranscriptSegmentRecord {
  text: string;
  startSeconds: number;
  endSeconds: number;
  confidence?: number;
}

/**
 * The `<audio>.transcript.json` object: what was said, and enough about where it came from to
 * tell which audio (and which version of it) it belongs to. Version 1 of this shape.
 */
export interface TranscriptDocument {
  schemaVersion: 1;
  source: {
    path: string;
    /** Cloud Storage's object generation when the notification gave one. */
    generation?: string;
    kind: ArchiveKind;
    extension?: string;
  };
  audio: AudioFormat;
  languageCode: string;
  /** The recognizer, e.g. "pocketsphinx" or "speech-v2/telephony". */
  engine: string;
  text: string;
  segments: TranscriptSegmentRecord[];
  createdAt: string;
}

export function buildTranscriptDocument(input: {
  source: TranscriptDocument["source"];
  audio: AudioFormat;
  languageCode: string;
  engine: string;
  text: string;
  segments: readonly TranscriptSegmentRecord[];
  createdAt: Date;
}): TranscriptDocument {
  return {
    schemaVersion: 1,
    source: withoutUndefined(input.source),
    audio: input.audio,
    languageCode: input.languageCode,
    engine: input.engine,
    text: input.text.trim(),
    segments: input.segments.map((s) => withoutUndefined({ ...s })),
    createdAt: input.createdAt.toISOString(),
  };
}

/** The `<audio>.transcript.txt` object: the words alone, one line, for people and for search. */
export function transcriptPlainText(document: TranscriptDocument): string {
  return `${document.text}\n`;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
