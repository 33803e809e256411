import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";
import { prepareAudio } from "./audio.js";
import type { ObjectAccess } from "./object-access.js";
import { anyPacker } from "./protos.js";
import { duration, recognizeResults, resultsAsJson } from "./recognition.js";
import { type CheckedConfig, checkConfig, parseRecognizer } from "./request-checks.js";
import { SpeechFault, unimplemented } from "./speech-fault.js";

/** Speech's documented limits. */
export const SYNC_MAX_BYTES = 10 * 1024 * 1024;
export const SYNC_MAX_SECONDS = 60;
export const BATCH_MAX_FILES = 15;
export const BATCH_MAX_SECONDS = 480 * 60;

type Message = Record<string, unknown>;

/** What a test may look at afterwards: each call as the stand-in understood it. */
export interface SpeechCall {
  method: "Recognize" | "BatchRecognize";
  recognizer: string;
  model?: string;
  languageCodes?: string[];
  audio: string[];
  status: string;
}

interface StoredOperation {
  name: string;
  done: boolean;
  metadata: { typeUrl: string; value: Buffer };
  response?: { typeUrl: string; value: Buffer };
  error?: { code: number; message: string };
}

export class SpeechService {
  readonly calls: SpeechCall[] = [];
  private readonly operations = new Map<string, StoredOperation>();
  private readonly engine = new PocketsphinxTranscriber();
  private readonly pack = anyPacker();

  constructor(private readonly objects: ObjectAccess) {}

  speechHandlers(grpc: typeof GrpcJs): GrpcJs.UntypedServiceImplementation {
    return {
      Recognize: this.unary(grpc, (request) => this.recognize(request)),
      BatchRecognize: this.unary(grpc, (request) => this.batchRecognize(request)),
    };
  }

  operationsHandlers(grpc: typeof GrpcJs): GrpcJs.UntypedServiceImplementation {
    return {
      GetOperation: this.unary(grpc, async (request) => {
        const operation = this.operations.get(String(request.name));
        if (!operation) throw new SpeechFault("NOT_FOUND", `Operation ${String(request.name)} not found.`);
        return this.operationMessage(operation);
      }),
    };
  }

  private unary(
    grpc: typeof GrpcJs,
    handle: (request: Message) => Promise<unknown>,
  ): GrpcJs.handleUnaryCall<Message, unknown> {
    return (call, callback) => {
      handle(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => {
          const fault =
            error instanceof SpeechFault
              ? error
              : new SpeechFault("INTERNAL", error instanceof Error ? error.message : String(error));
          callback({ code: grpc.status[fault.status], details: fault.message });
        },
      );
    };
  }

  private async recognize(request: Message): Promise<Message> {
    const call: SpeechCall = {
      method: "Recognize",
      recognizer: String(request.recognizer ?? ""),
      audio: [],
      status: "OK",
    };
    this.calls.push(call);
    try {
      parseRecognizer(request.recognizer);
      if (request.configMask) throw unimplemented("config_mask");
      const config = checkConfig(request.config as Message | undefined);
      Object.assign(call, { model: config.model, languageCodes: [config.languageCode] });
      const workDir = await mkdtemp(join(tmpdir(), "speech-stand-in-"));
      try {
        const local = join(workDir, "audio");
        let bytes: number;
        if (request.audioSource === "content") {
          const content = request.content as Buffer;
          call.audio.push(`content (${content.length} bytes)`);
          bytes = content.length;
          if (bytes > SYNC_MAX_BYTES) throw tooLarge(bytes);
          await writeFile(local, content);
        } else if (request.audioSource === "uri") {
          call.audio.push(String(request.uri));
          bytes = await this.objects.download(String(request.uri), local);
          if (bytes > SYNC_MAX_BYTES) throw tooLarge(bytes);
        } else {
          throw new SpeechFault("INVALID_ARGUMENT", "audio_source is required: set content or uri");
        }
        const audio = await prepareAudio(local, config, workDir);
        if (audio.durationSeconds > SYNC_MAX_SECONDS) {
          throw new SpeechFault(
            "INVALID_ARGUMENT",
            `Audio can be of a maximum of ${SYNC_MAX_SECONDS} seconds (this audio lasts ${audio.durationSeconds.toFixed(1)} s); use BatchRecognize for longer audio.`,
          );
        }
        return {
          results: await recognizeResults(this.engine, audio, config),
          metadata: {
            requestId: randomUUID(),
            totalBilledDuration: duration(Math.ceil(audio.durationSeconds)),
          },
        };
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    } catch (error) {
      call.status = error instanceof SpeechFault ? error.status : "INTERNAL";
      throw error;
    }
  }

  private async batchRecognize(request: Message): Promise<Message> {
    const call: SpeechCall = {
      method: "BatchRecognize",
      recognizer: String(request.recognizer ?? ""),
      audio: [],
      status: "OK",
    };
    this.calls.push(call);
    try {
      const recognizer = parseRecognizer(request.recognizer);
      if (request.configMask) throw unimplemented("config_mask");
      const config = checkConfig(request.config as Message | undefined);
      Object.assign(call, { model: config.model, languageCodes: [config.languageCode] });
      const files = (request.files as Message[] | undefined) ?? [];
      if (files.length === 0)
        throw new SpeechFault("INVALID_ARGUMENT", "files must list at least one audio file");
      if (files.length > BATCH_MAX_FILES) {
        throw new SpeechFault(
          "INVALID_ARGUMENT",
          `The maximum number of files allowed to be specified is ${BATCH_MAX_FILES}; got ${files.length}.`,
        );
      }
      const uris = files.map((file, index) => {
        for (const field of ["config", "configMask"])
          if (file[field]) throw unimplemented(`files[${index}].${field}`);
        if (typeof file.uri !== "string" || !file.uri.startsWith("gs://")) {
          throw new SpeechFault(
            "INVALID_ARGUMENT",
            `files[${index}].uri must be a gs:// URI: batch recognition reads Cloud Storage only`,
          );
        }
        return file.uri;
      });
      call.audio.push(...uris);
      const output = request.recognitionOutputConfig as Message | undefined;
      if (!output?.output) {
        throw new SpeechFault(
          "INVALID_ARGUMENT",
          "recognition_output_config must set gcs_output_config or inline_response_config",
        );
      }
      if (output.outputFormatConfig) throw unimplemented("recognition_output_config.output_format_config");
      const gcsPrefix =
        output.output === "gcsOutputConfig"
          ? String((output.gcsOutputConfig as Message).uri ?? "")
          : undefined;
      if (gcsPrefix !== undefined && !/^gs:\/\/[^/]+/.test(gcsPrefix)) {
        throw new SpeechFault(
          "INVALID_ARGUMENT",
          `recognition_output_config.gcs_output_config.uri "${gcsPrefix}" is not a gs:// URI`,
        );
      }
      const now = new Date();
      const operation: StoredOperation = {
        name: `projects/${recognizer.project}/locations/${recognizer.location}/operations/${randomUUID()}`,
        done: false,
        metadata: this.pack("google.cloud.speech.v2.OperationMetadata", {
          createTime: timestamp(now),
          updateTime: timestamp(now),
          resource: String(request.recognizer),
          method: "google.cloud.speech.v2.Speech.BatchRecognize",
          progressPercent: 0,
        }),
      };
      this.operations.set(operation.name, operation);
      void this.runBatch(operation, uris, config, gcsPrefix);
      return this.operationMessage(operation);
    } catch (error) {
      call.status = error instanceof SpeechFault ? error.status : "INTERNAL";
      throw error;
    }
  }

  /** Transcribes the files one after the other, then completes the operation with every file's result. */
  private async runBatch(
    operation: StoredOperation,
    uris: string[],
    config: CheckedConfig,
    gcsPrefix: string | undefined,
  ): Promise<void> {
    const results: Record<string, Message> = {};
    let billed = 0;
    for (const uri of uris) {
      const workDir = await mkdtemp(join(tmpdir(), "speech-stand-in-batch-"));
      try {
        const local = join(workDir, "audio");
        await this.objects.download(uri, local);
        const audio = await prepareAudio(local, config, workDir);
        if (audio.durationSeconds > BATCH_MAX_SECONDS) {
          throw new SpeechFault(
            "INVALID_ARGUMENT",
            `Audio can be of a maximum of ${BATCH_MAX_SECONDS / 60} minutes.`,
          );
        }
        const transcript = await recognizeResults(this.engine, audio, config);
        const seconds = Math.ceil(audio.durationSeconds);
        billed += seconds;
        const metadata = { totalBilledDuration: duration(seconds) };
        if (gcsPrefix === undefined) {
          results[uri] = { inlineResult: { transcript: { results: transcript, metadata } }, metadata };
        } else {
          const stem = basename(uri).replace(/\.[^.]*$/, "");
          const target = `${gcsPrefix.replace(/\/$/, "")}/${stem}_transcript_${randomUUID()}.json`;
          await this.objects.upload(target, resultsAsJson(transcript, seconds), "application/json");
          results[uri] = { cloudStorageResult: { uri: target }, metadata };
        }
      } catch (error) {
        const fault = error instanceof SpeechFault ? error : new SpeechFault("INTERNAL", String(error));
        results[uri] = { error: { code: RPC_CODES[fault.status], message: fault.message } };
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    }
    operation.response = this.pack("google.cloud.speech.v2.BatchRecognizeResponse", {
      results,
      totalBilledDuration: duration(billed),
    });
    operation.done = true;
  }

  private operationMessage(operation: StoredOperation): Message {
    return {
      name: operation.name,
      done: operation.done,
      metadata: operation.metadata,
      ...(operation.response ? { response: operation.response } : {}),
      ...(operation.error ? { error: operation.error } : {}),
    };
  }
}

const RPC_CODES: Record<SpeechFault["status"], number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
};

function tooLarge(bytes: number): SpeechFault {
  return new SpeechFault(
    "INVALID_ARGUMENT",
    `Request payload size exceeds the limit: ${SYNC_MAX_BYTES} bytes (the audio has ${bytes}); use BatchRecognize for larger audio.`,
  );
}

function timestamp(date: Date): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(date.getTime() / 1000)), nanos: (date.getTime() % 1000) * 1e6 };
}
