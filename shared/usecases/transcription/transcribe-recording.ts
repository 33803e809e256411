import { classifyArchiveObject, transcriptPathsOf } from "../../domain/transcription/archive-layout.js";
import { type AudioFormat, detectAudioFormat } from "../../domain/transcription/audio-format.js";
import {
  buildTranscriptDocument,
  type TranscriptDocument,
  transcriptPlainText,
} from "../../domain/transcription/transcript-document.js";
import {
  hasEmailKeyedLanguages,
  type RecordingOwner,
  transcriptLanguage,
} from "../../domain/transcription/transcript-language.js";
import { isGw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import { mailVoicemailTranscript } from "./mail-voicemail-transcript.js";
import { readAudioSample } from "./read-audio-sample.js";
import type { TranscriptionConfig, TranscriptionPorts } from "./transcription-ports.js";
import { TranscriptionStore } from "./transcription-store.js";

export interface TranscribeRequest {
  /** The object's path in the bucket (or the local storage folder), e.g. recordings/1001/x.wav. */
  path: string;
  /** Cloud Storage's generation from the notification; recorded in the transcript. */
  generation?: string;
}

export type TranscribeResult =
  | {
      outcome: "written";
      path: string;
      transcriptPath: string;
      languageCode: string;
      audio: AudioFormat;
      mail?: "sent" | "failed" | "no-owner";
    }
  /** The transcript was there already (done before, or by a concurrent worker): nothing recognized. */
  | { outcome: "exists"; path: string; transcriptPath: string }
  /** Not an object to transcribe (outside recordings/ and voicemails/, or a transcript). */
  | { outcome: "skipped"; path: string; reason: string }
  /** Deleted since it was announced. */
  | { outcome: "missing"; path: string }
  /** Another worker is on it now. */
  | { outcome: "busy"; path: string; heldBy: string }
  /**
   * Never transcribable as it is (not audio, a codec nobody reads): retrying cannot help.
   * `repeated` when this very version was refused before (a duplicate event): nothing was read.
   */
  | { outcome: "refused"; path: string; reason: string; repeated?: true };

/** Transcriber errors that retrying the same file cannot heal: the object is refused (dead-lettered). */
const REFUSALS = [
  "TRANSCRIBE_UNSUPPORTED_AUDIO",
  "TRANSCRIBE_LANGUAGE_UNSUPPORTED",
  "TRANSCRIBE_ENGINE_MISSING",
] as const;

/** A first claim covers reading the audio; once its length is known, the claim is lengthened. */
const FIRST_CLAIM_MS = 5 * 60 * 1000;
/** Recognition may take a while per second of audio (pocketsphinx on a small machine): a generous margin. */
const CLAIM_PER_AUDIO_SECOND_MS = 2000;

/**
 * Transcribes one audio object into `<path>.transcript.json` and `.txt` beside it. Idempotent:
 * an existing transcript is never redone, a worker already on the object makes this one step
 * back (busy), and the JSON is written only if absent, so racing workers leave one transcript.
 * Unreadable audio is refused (recorded as failed). Storage, Directory and transcriber errors
 * that may pass (quota, unavailable) are thrown for the caller to retry; the claim then lapses.
 */
export async function transcribeRecording(
  ports: TranscriptionPorts,
  request: TranscribeRequest,
  config: TranscriptionConfig,
): Promise<TranscribeResult> {
  const { path } = request;
  const log = ports.logger.child({ object: path });
  const target = classifyArchiveObject(path);
  if (!target.transcribe) {
    log.event("transcriptionSkipped", { reason: target.reason });
    return { outcome: "skipped", path, reason: target.reason };
  }
  const paths = transcriptPathsOf(path);
  let existing: Awaited<ReturnType<typeof ports.storage.stat>>;
  try {
    existing = await ports.storage.stat(paths.json);
  } catch (error) {
    if (!isGw3cxError(error, "STORAGE_INVALID_PATH")) throw error;
    log.event("transcriptionSkipped", { reason: (error as Error).message });
    return { outcome: "skipped", path, reason: (error as Error).message };
  }
  if (existing) {
    log.event("transcriptExists", { transcript: paths.json });
    return { outcome: "exists", path, transcriptPath: paths.json };
  }
  const store = new TranscriptionStore(ports.state);
  const before = await store.get(path);
  if (before?.refused && request.generation !== undefined && before.generation === request.generation) {
    return { outcome: "refused", path, reason: before.reason ?? "refused before", repeated: true };
  }
  const startedAt = ports.clock.now();
  const claim = await store.claim(
    {
      path,
      kind: target.kind,
      extension: target.extension,
      generation: request.generation,
      claimedBy: config.workerId,
      startedAt: startedAt.toISOString(),
    },
    startedAt,
    FIRST_CLAIM_MS,
  );
  if (!claim.claimed) {
    log.event("transcriptionBusy", { heldBy: claim.heldBy });
    return { outcome: "busy", path, heldBy: claim.heldBy };
  }
  try {
    return await transcribeClaimed(ports, request, config, { target, paths, store, log });
  } catch (error) {
    // The claim is released with the error, so a redelivery (any worker) starts again at once.
    await store.release(path, `${path}: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

async function transcribeClaimed(
  ports: TranscriptionPorts,
  request: TranscribeRequest,
  config: TranscriptionConfig,
  context: {
    target: Extract<ReturnType<typeof classifyArchiveObject>, { transcribe: true }>;
    paths: { json: string; text: string };
    store: TranscriptionStore;
    log: Logger;
  },
): Promise<TranscribeResult> {
  const { path } = request;
  const { target, paths, store, log } = context;
  // Checked again under the claim: a worker that finished just before it finds the work done.
  if (await ports.storage.stat(paths.json)) {
    await store.finish(path, { status: "done", finishedAt: ports.clock.now().toISOString() });
    return { outcome: "exists", path, transcriptPath: paths.json };
  }
  const audioObject = await ports.storage.stat(path);
  if (!audioObject) {
    await store.finish(path, { status: "failed", reason: `${path}: deleted before it was transcribed` });
    log.event("transcriptionAudioMissing", {});
    return { outcome: "missing", path };
  }
  const sample = await readAudioSample(ports.storage, path);
  const detected = detectAudioFormat(sample.head, sample);
  if (!detected.ok) return refuse(store, log, path, detected.reason, ports.clock.now());
  const audio = detected.format;
  await store.extendClaim(
    path,
    new Date(
      ports.clock.now().getTime() +
        FIRST_CLAIM_MS +
        (audio.durationSeconds ?? 3600) * CLAIM_PER_AUDIO_SECOND_MS,
    ),
  );

  const owner: RecordingOwner = { extension: target.extension };
  const wantsMail = target.kind === "voicemail" && config.mailVoicemails;
  if (target.extension && ports.owners && (wantsMail || hasEmailKeyedLanguages(config.userLanguages))) {
    owner.email = await ports.owners.emailOf(target.extension);
  }
  const languageCode = transcriptLanguage(owner, config);
  log.event("transcriptionStarted", {
    kind: target.kind,
    extension: target.extension,
    languageCode,
    codec: audio.codec,
    durationSeconds: audio.durationSeconds,
  });
  const recognitionStarted = ports.clock.now().getTime();
  let transcript: Awaited<ReturnType<TranscriptionPorts["transcriber"]["transcribe"]>>;
  try {
    // The length from the header lets Speech go straight to batchRecognize for long audio.
    transcript = await ports.transcriber.transcribe({
      audioUri: ports.audioUriOf(path),
      languageCode,
      ...(audio.durationSeconds !== undefined ? { durationSeconds: audio.durationSeconds } : {}),
    });
  } catch (error) {
    if (REFUSALS.some((code) => isGw3cxError(error, code)))
      return refuse(store, log, path, (error as Error).message, ports.clock.now());
    throw error;
  }
  const recognitionMs = ports.clock.now().getTime() - recognitionStarted;
  const document = buildTranscriptDocument({
    source: { path, generation: request.generation, kind: target.kind, extension: target.extension },
    audio,
    languageCode: transcript.languageCode || languageCode,
    engine: config.engine,
    text: transcript.text,
    segments: transcript.segments,
    createdAt: ports.clock.now(),
  });
  const written = await writeTranscript(ports, paths, document);
  if (!written) {
    await store.finish(path, { status: "done", finishedAt: ports.clock.now().toISOString() });
    log.event("transcriptExists", { transcript: paths.json, race: true });
    return { outcome: "exists", path, transcriptPath: paths.json };
  }
  const mail = wantsMail ? await mailVoicemailTranscript(ports, config, document, owner) : undefined;
  await store.finish(path, {
    status: "done",
    finishedAt: ports.clock.now().toISOString(),
    languageCode: document.languageCode,
    engine: config.engine,
    durationSeconds: audio.durationSeconds,
    recognitionMs,
    mail,
  });
  log.event("transcriptWritten", {
    transcript: paths.json,
    languageCode: document.languageCode,
    engine: config.engine,
    segments: document.segments.length,
    words: document.text === "" ? 0 : document.text.split(/\s+/).length,
    durationSeconds: audio.durationSeconds,
    recognitionMs,
  });
  return {
    outcome: "written",
    path,
    transcriptPath: paths.json,
    languageCode: document.languageCode,
    audio,
    ...(mail ? { mail } : {}),
  };
}

/**
 * The words first (overwriting a half-finished earlier attempt), then the JSON only if absent: the
 * JSON is the mark of a finished transcript, so a crash between the two is simply redone. False
 * when another worker's JSON got there first.
 */
async function writeTranscript(
  ports: TranscriptionPorts,
  paths: { json: string; text: string },
  document: TranscriptDocument,
): Promise<boolean> {
  await ports.storage.write(paths.text, transcriptPlainText(document), {
    contentType: "text/plain; charset=utf-8",
  });
  try {
    await ports.storage.write(paths.json, `${JSON.stringify(document, null, 2)}\n`, {
      contentType: "application/json",
      ifAbsent: true,
      metadata: { "gw3cx-source": document.source.path },
    });
    return true;
  } catch (error) {
    if (isGw3cxError(error, "STORAGE_OBJECT_EXISTS")) return false;
    throw error;
  }
}

async function refuse(
  store: TranscriptionStore,
  log: Logger,
  path: string,
  reason: string,
  now: Date,
): Promise<TranscribeResult> {
  await store.finish(path, {
    status: "failed",
    refused: true,
    reason: `${path}: ${reason}`,
    finishedAt: now.toISOString(),
  });
  log.event("transcriptionRefused", { reason });
  return { outcome: "refused", path, reason };
}
