import { hostname } from "node:os";
import type { Settings } from "../config/schema.js";
import type { TranscriptionConfig } from "../usecases/transcription/transcription-ports.js";

/** The transcription use cases' settings; `engine` names the recognizer in each transcript. */
export function transcriptionConfigFrom(settings: Settings, engine: string): TranscriptionConfig {
  return {
    enabled: settings.transcription.enabled,
    languageCode: settings.transcription.languageCode,
    userLanguages: settings.transcription.userLanguages,
    mailVoicemails: settings.transcription.mailVoicemails,
    mailSender: settings.google.mailSender ?? settings.google.adminSubject,
    engine,
    workerId: `${hostname()}:${process.pid}`,
  };
}
