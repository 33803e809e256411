import { readFileSync } from "node:fs";
import { InProcessBus } from "../../../../shared/adapters/memory/in-process-bus.js";
import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import { objectFinalizedNotification } from "../../../../shared/domain/transcription/storage-notification.js";
import type { BusMessage } from "../../../../shared/ports/bus.js";
import type { OutgoingMail } from "../../../../shared/ports/mail.js";
import { type Transcriber, TranscriberError, type Transcript } from "../../../../shared/ports/transcriber.js";
import type {
  TranscriptionConfig,
  TranscriptionHandlerPorts,
} from "../../../../shared/usecases/transcription/transcription-ports.js";
import { LIBRIVOX_0920 } from "../../../support/audio-fixtures.js";
import { capturedLogger } from "../../../support/captured-logger.js";
import { MemoryObjectStorage } from "../../../support/memory-object-storage.js";

export const SPEECH = readFileSync(LIBRIVOX_0920);

/**
 * A Transcriber double: says what it was asked (the words are the audio URI's, so a test can
 * tell transcripts apart), counts calls, and can fail or wait on request.
 */
export class ScriptedTranscriber implements Transcriber {
  readonly calls: Array<{ audioUri: string; languageCode: string }> = [];
  failWith?: unknown;
  gate?: Promise<void>;

  async transcribe(request: { audioUri: string; languageCode: string }): Promise<Transcript> {
    this.calls.push(request);
    await this.gate;
    if (this.failWith) throw this.failWith;
    return {
      languageCode: request.languageCode,
      text: ` words of ${request.audioUri} `,
      segments: [
        { text: `words of ${request.audioUri}`, startSeconds: 0, endSeconds: 6.05, confidence: 0.9 },
      ],
    };
  }
}

export function transcriptionWorld(overrides: Partial<TranscriptionConfig> = {}) {
  const storage = new MemoryObjectStorage();
  const transcriber = new ScriptedTranscriber();
  const state = new SqliteStateStore(":memory:");
  const bus = new InProcessBus();
  const { logger, lines } = capturedLogger("transcription-test", "debug");
  const mail: OutgoingMail[] = [];
  const emails: Record<string, string> = {};
  const ports: TranscriptionHandlerPorts = {
    storage,
    transcriber,
    state,
    bus,
    logger,
    clock: { now: () => new Date(), sleep: async () => undefined },
    audioUriOf: (path) => `local:${path}`,
    owners: { emailOf: async (extension) => emails[extension] },
    mailer: {
      async send(m) {
        mail.push(m);
        return { id: `m${mail.length}` };
      },
    },
  };
  const config: TranscriptionConfig = {
    enabled: true,
    languageCode: "en-US",
    userLanguages: {},
    mailVoicemails: false,
    mailSender: "pbx@example.com",
    engine: "scripted",
    workerId: "worker-a",
    ...overrides,
  };
  return { storage, transcriber, state, bus, ports, config, logs: lines, mail, emails };
}

let ids = 0;
/** A bus message as Cloud Storage would send for a finalized object. */
export function finalizedMessage(
  name: string,
  deliveryAttempt = 1,
  generation = "1700000000000000",
): BusMessage {
  const n = objectFinalizedNotification({
    bucket: "archive",
    name,
    generation,
    size: 1,
    updated: new Date(),
  });
  return {
    id: `msg-${++ids}`,
    data: Buffer.from(JSON.stringify(n.data)),
    attributes: n.attributes,
    deliveryAttempt,
    publishTime: new Date(),
  };
}

export const quotaError = () =>
  new TranscriberError("TRANSCRIBE_QUOTA", "Speech quota exhausted (RESOURCE_EXHAUSTED)");
