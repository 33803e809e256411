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
  /** `audioUri` is a gs:// URI in the cloud or a path of the local storage. */
  transcribe(request: { audioUri: string; languageCode: string }): Promise<Transcript>;
}

export class TranscriberError extends Gw3cxError<
  "TRANSCRIBE_UNSUPPORTED_AUDIO" | "TRANSCRIBE_QUOTA" | "TRANSCRIBE_FAILED"
> {}
