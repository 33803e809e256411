import { createRequire } from "node:module";
import type { protos, v2 } from "@google-cloud/speech";
import { type Transcriber, TranscriberError, type Transcript } from "../../ports/transcriber.js";
import { transcriberErrorOf } from "./speech-errors.js";
import { type RecognitionResultLike, segmentsOf } from "./speech-results.js";

type SpeechClient = v2.SpeechClient;
type ClientOptions = NonNullable<ConstructorParameters<typeof v2.SpeechClient>[0]>;

/** Where a local Speech v2 stand-in listens (host:port); Google ships no emulator. */
export const SPEECH_EMULATOR_HOST_ENV = "SPEECH_EMULATOR_HOST";

/** Speech's sync limit is 60 s; audio known to be longer goes to batchRecognize straight away. */
const SYNC_MAX_SECONDS = 60;

/** Sync refusals that say "too long or too big for recognize": batchRecognize takes those. */
const TOO_LONG_FOR_SYNC =
  /maximum of 60 seconds|too long|exceeds the limit|payload size|longer audio|batchrecognize/i;

export interface SpeechV2Options {
  projectId: string;
  /** transcription.location: "global", a multi-region ("us", "eu") or a region. */
  location: string;
  /** transcription.model, e.g. "telephony". */
  model: string;
  /** Longest gw3cx waits for one batchRecognize operation (it must end inside the push ack deadline). */
  batchTimeoutMs?: number;
  /** First wait between two operation polls; it doubles up to 10 s. */
  pollIntervalMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Speech-to-Text v2 through Google's client (loaded on first use: only the transcription worker
 * needs it): `recognize` for audio up to a minute, `batchRecognize` with an inline result and its
 * long-running operation beyond. Audio is always a gs:// object; its container (WAV PCM/mu-law/a-law,
 * MP3, Ogg Opus, FLAC: what 3CX writes) is detected by Speech (auto_decoding_config), so nothing
 * is converted. The implicit recognizer `_` carries the model and language in each request.
 */
export class SpeechV2Transcriber implements Transcriber {
  private client: Promise<SpeechClient> | undefined;
  private readonly batchTimeoutMs: number;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: SpeechV2Options) {
    this.batchTimeoutMs = options.batchTimeoutMs ?? 9 * 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
  }

  async transcribe(request: {
    audioUri: string;
    languageCode: string;
    durationSeconds?: number;
  }): Promise<Transcript> {
    if (!request.audioUri.startsWith("gs://")) {
      throw new TranscriberError(
        "TRANSCRIBE_FAILED",
        `Speech-to-Text reads Cloud Storage objects (gs://bucket/object), not ${request.audioUri}`,
        { details: { audioUri: request.audioUri } },
      );
    }
    const results =
      request.durationSeconds !== undefined && request.durationSeconds > SYNC_MAX_SECONDS
        ? await this.batch(request.audioUri, request.languageCode)
        : await this.syncOrBatch(request.audioUri, request.languageCode);
    const segments = segmentsOf(results);
    return { languageCode: request.languageCode, text: segments.map((s) => s.text).join(" "), segments };
  }

  async close(): Promise<void> {
    if (this.client) await (await this.client).close();
  }

  private recognizer(): string {
    return `projects/${this.options.projectId}/locations/${this.options.location}/recognizers/_`;
  }

  private config(languageCode: string) {
    return {
      autoDecodingConfig: {},
      model: this.options.model,
      languageCodes: [languageCode],
      features: { enableWordTimeOffsets: true },
    };
  }

  /** recognize first (the duration is not known); audio Speech finds too long goes to batch. */
  private async syncOrBatch(audioUri: string, languageCode: string): Promise<RecognitionResultLike[]> {
    const client = await this.speech();
    try {
      const [response] = await client.recognize({
        recognizer: this.recognizer(),
        config: this.config(languageCode),
        uri: audioUri,
      });
      return response.results ?? [];
    } catch (error) {
      const status = error as { code?: number; details?: string; message?: string };
      if (status.code === 3 && TOO_LONG_FOR_SYNC.test(String(status.details ?? status.message))) {
        return this.batch(audioUri, languageCode);
      }
      throw transcriberErrorOf(error, audioUri, "recognize");
    }
  }

  private async batch(audioUri: string, languageCode: string): Promise<RecognitionResultLike[]> {
    const client = await this.speech();
    let name: string;
    try {
      const [operation] = await client.batchRecognize({
        recognizer: this.recognizer(),
        config: this.config(languageCode),
        files: [{ uri: audioUri }],
        recognitionOutputConfig: { inlineResponseConfig: {} },
      });
      name = operation.name as string;
    } catch (error) {
      throw transcriberErrorOf(error, audioUri, "batchRecognize");
    }
    const deadline = Date.now() + this.batchTimeoutMs;
    let wait = this.pollIntervalMs;
    for (;;) {
      let operation: Awaited<ReturnType<SpeechClient["checkBatchRecognizeProgress"]>>;
      try {
        operation = await client.checkBatchRecognizeProgress(name);
      } catch (error) {
        throw transcriberErrorOf(error, audioUri, "batchRecognize (polling the operation)");
      }
      if (operation.done) {
        if (operation.error) throw transcriberErrorOf(operation.error, audioUri, "batchRecognize");
        const response = operation.result as
          | protos.google.cloud.speech.v2.IBatchRecognizeResponse
          | undefined;
        const file = response?.results?.[audioUri];
        if (file?.error?.code) throw transcriberErrorOf(file.error, audioUri, "batchRecognize");
        return file?.inlineResult?.transcript?.results ?? [];
      }
      if (Date.now() + wait > deadline) {
        throw new TranscriberError(
          "TRANSCRIBE_FAILED",
          `Speech-to-Text batchRecognize for ${audioUri} was still running after ${this.batchTimeoutMs} ms (operation ${name})`,
          { details: { audioUri, operation: name } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 10_000);
    }
  }

  private speech(): Promise<SpeechClient> {
    this.client ??= this.createClient();
    return this.client;
  }

  private async createClient(): Promise<SpeechClient> {
    const { v2: speech } = await import("@google-cloud/speech");
    const env = this.options.env ?? process.env;
    const emulator = env[SPEECH_EMULATOR_HOST_ENV];
    if (emulator) {
      const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(emulator);
      if (!match?.[1]) {
        throw new Error(`${SPEECH_EMULATOR_HOST_ENV} must be host:port, got ${JSON.stringify(emulator)}`);
      }
      return new speech.SpeechClient({
        projectId: this.options.projectId,
        apiEndpoint: match[1].replace(/^\[|\]$/g, ""),
        port: Number(match[2]),
        sslCreds: insecureCredentials() as ClientOptions["sslCreds"],
      });
    }
    // A location other than global is served only by its regional endpoint.
    const apiEndpoint =
      this.options.location === "global"
        ? "speech.googleapis.com"
        : `${this.options.location}-speech.googleapis.com`;
    return new speech.SpeechClient({ projectId: this.options.projectId, apiEndpoint });
  }
}

function insecureCredentials(): unknown {
  const besideClient = createRequire(createRequire(import.meta.url).resolve("@google-cloud/speech"));
  const gax = besideClient("google-gax") as { grpc: { credentials: { createInsecure(): unknown } } };
  return gax.grpc.credentials.createInsecure();
}
