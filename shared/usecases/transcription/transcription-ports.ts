import type { Logger } from "../../logging/logger.js";
import type { Bus } from "../../ports/bus.js";
import type { Clock } from "../../ports/clock.js";
import type { Mailer } from "../../ports/mail.js";
import type { ObjectStorage } from "../../ports/object-storage.js";
import type { StateStore } from "../../ports/state-store.js";
import type { Transcriber } from "../../ports/transcriber.js";

/** Who owns an extension, as far as gw3cx knows: the email of the user linked to that number. */
export interface ExtensionOwners {
  emailOf(extension: string): Promise<string | undefined>;
}

export interface TranscriptionPorts {
  storage: ObjectStorage;
  transcriber: Transcriber;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  /** Where the transcriber finds an object: a gs:// URI in the cloud, a file path on one machine. */
  audioUriOf(path: string): string;
  /** Needed for voicemail mail and for per-user languages keyed by email; without it neither applies. */
  owners?: ExtensionOwners;
  mailer?: Mailer;
}

export interface TranscriptionHandlerPorts extends TranscriptionPorts {
  bus: Bus;
}

export interface TranscriptionConfig {
  /** transcription.enabled: the notification handler does nothing when off (`gw3cx transcribe` still works). */
  enabled: boolean;
  languageCode: string;
  userLanguages: Readonly<Record<string, string>>;
  mailVoicemails: boolean;
  /** The mailbox gw3cx mails as (google.mailSender); unset: nothing is mailed. */
  mailSender?: string;
  /** Names the recognizer in each transcript, e.g. "pocketsphinx" or "speech-v2/telephony". */
  engine: string;
  /** Names this worker in its claims (a process id, a Cloud Run instance). */
  workerId: string;
}
