import { Gw3cxError } from "../errors.js";

export interface TranscriptSegment {
  text: string;
  startSeconds: number;
  endSeconds: number;
  confidence?: number;
}

export interface Transcript {
  languageCode: string;
  text: string;
  segments: TranscriptSegment[];
}

/** Speech-to-text for call recordings and voicemails. */
export interface Transcriber {
  /**
   * `audioUri` is a gs:// URI in the cloud or a path of the local storage. `durationSeconds`, when
   * the caller knows it, lets an engine pick its long-audio path at once (Speech: batchRecognize
   * beyond 60 s) instead of finding out from a refusal.
   */
  transcribe(request: {
    audioUri: string;
    languageCode: string;
    durationSeconds?: number;
  }): Promise<Transcript>;
}

/**
 * TRANSCRIBE_LANGUAGE_UNSUPPORTED: the engine has no model for the language (the local engine has
 * only en-US); TRANSCRIBE_ENGINE_MISSING: the engine's programs are not installed. Neither heals by
 * retrying the same file.
 */
export class TranscriberError extends Gw3cxError<
  | "TRANSCRIBE_UNSUPPORTED_AUDIO"
  | "TRANSCRIBE_QUOTA"
  | "TRANSCRIBE_FAILED"
  | "TRANSCRIBE_LANGUAGE_UNSUPPORTED"
  | "TRANSCRIBE_ENGINE_MISSING"
> {}
