import { TranscriberError } from "../../ports/transcriber.js";

/** gRPC status codes (google.rpc.Code) Speech answers with. */
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;

/** An INVALID_ARGUMENT about the audio itself, not about gw3cx's request. */
const ABOUT_AUDIO = /audio|encoding|decod|sample.?rate|channel/i;

/** What a Speech failure means for the caller: a quota to wait for, audio to give up on, or a failure. */
export function transcriberErrorOf(error: unknown, audioUri: string, action: string): TranscriberError {
  const status = error as { code?: unknown; details?: unknown; message?: unknown };
  const code = typeof status.code === "number" ? status.code : undefined;
  const reason = String(status.details || status.message || error);
  const details = { audioUri, grpcCode: code, reason };
  if (code === RESOURCE_EXHAUSTED) {
    return new TranscriberError(
      "TRANSCRIBE_QUOTA",
      `Speech-to-Text quota exhausted (${action} ${audioUri}): ${reason}`,
      {
        cause: error,
        details,
      },
    );
  }
  if (code === INVALID_ARGUMENT && ABOUT_AUDIO.test(reason)) {
    return new TranscriberError(
      "TRANSCRIBE_UNSUPPORTED_AUDIO",
      `Speech-to-Text cannot read ${audioUri}: ${reason}`,
      {
        cause: error,
        details,
      },
    );
  }
  return new TranscriberError(
    "TRANSCRIBE_FAILED",
    `Speech-to-Text ${action} failed for ${audioUri}: ${reason}`,
    {
      cause: error,
      details,
    },
  );
}
