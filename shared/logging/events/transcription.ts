import type { LogEventDefinition } from "../log-event-definition.js";

/** Transcription of recordings and voicemails. Never the transcript's words: only names and counts. */
export const transcriptionLogEvents = {
  transcriptionOff: {
    severity: "INFO",
    message: "transcription is off (transcription.enabled: false); the object is left as it is",
  },
  transcriptionSkipped: { severity: "DEBUG", message: "object is not one to transcribe" },
  transcriptExists: {
    severity: "DEBUG",
    message: "the transcript is already there; nothing recognized again",
  },
  transcriptionBusy: {
    severity: "INFO",
    message: "another worker is transcribing this object; the message is redelivered later",
  },
  transcriptionAudioMissing: {
    severity: "INFO",
    message: "the audio object is gone (deleted since the notification); nothing to transcribe",
  },
  transcriptionRefused: {
    severity: "WARNING",
    message: "the audio cannot be transcribed; not retried",
  },
  transcriptionStarted: { severity: "INFO", message: "transcribing" },
  transcriptWritten: { severity: "INFO", message: "transcript written beside the audio" },
  transcriptionRetry: {
    severity: "WARNING",
    message: "transcription failed for a reason that may pass; the message is redelivered",
  },
  transcriptionFailed: {
    severity: "ERROR",
    message: "transcription failed after every delivery attempt; dead-lettered",
  },
  transcriptMailed: { severity: "INFO", message: "voicemail transcript mailed to its user" },
  transcriptMailSkipped: {
    severity: "INFO",
    message: "voicemail transcript not mailed: no user with an email owns the extension",
  },
  transcriptMailFailed: {
    severity: "WARNING",
    message: "voicemail transcript could not be mailed; the transcript itself is written",
  },
  recordingNoticed: {
    severity: "DEBUG",
    message: "a finished file in the local storage folder was published for transcription",
  },
  recordingWatcherFailed: {
    severity: "ERROR",
    message: "the local storage folder could not be scanned; the next scan tries again",
  },
} as const satisfies Record<string, LogEventDefinition>;
