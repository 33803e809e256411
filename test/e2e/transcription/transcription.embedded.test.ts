import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";
import { objectFinalizedNotification } from "../../../shared/domain/transcription/storage-notification.js";
import type { TranscriptDocument } from "../../../shared/domain/transcription/transcript-document.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import type { Subscription } from "../../../shared/ports/bus.js";
import type { Transcriber } from "../../../shared/ports/transcriber.js";
import { startDeadLetterHold } from "../../../shared/runtime/embedded-runtime.js";
import {
  type LocalTranscription,
  startLocalTranscription,
} from "../../../shared/runtime/local-transcription.js";
import { DeadLetterLog } from "../../../shared/usecases/status/dead-letter-log.js";
import { transcriptsStatusSection } from "../../../shared/usecases/status/transcripts-status-section.js";
import { parseRfc822, textOf } from "../../support/parse-rfc822.js";
import { encodeWithFfmpeg, librivoxClip, wordsFound } from "../../support/speech-clips.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "../user-sync/embedded-world.js";
import { person, smallTenant } from "../user-sync/small-tenant.js";

/**
 * `npm start`'s transcription on the embedded runtime: the storage folder's watcher, the bus, the
 * worker and the real local engine (ffmpeg + pocketsphinx) on real read speech.
 */
let world: EmbeddedWorld;
let transcription: LocalTranscription;
let hold: Subscription[];
let root: string;
/** Every audio file the engine was asked to recognize. */
const recognized: string[] = [];

const clip = librivoxClip("0920");

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "gw3cx-storage-"));
  world = await startEmbeddedWorld({
    google: smallTenant([person("Ada"), person("Bob")]),
    settings: { transcription: { enabled: true, mailVoicemails: true }, storage: { localDir: root } },
  });
  await world.sync();
  hold = await startDeadLetterHold(world.runtime.userSync);
  const engine = new PocketsphinxTranscriber();
  const counting: Transcriber = {
    transcribe: (request) => {
      recognized.push(request.audioUri);
      return engine.transcribe(request);
    },
  };
  transcription = await startLocalTranscription(world.runtime, {
    transcriber: counting,
    watcher: { intervalMs: 100, settleMs: 300 },
  });
}, 60_000);

afterAll(async () => {
  await transcription?.close();
  await Promise.all((hold ?? []).map((s) => s.close()));
  await world?.close();
});

/** Copies a file into the storage folder, as 3CX's archiving (or a person) would. */
function drop(path: string, from: string | Buffer): string {
  const file = join(root, path);
  mkdirSync(join(file, ".."), { recursive: true });
  if (Buffer.isBuffer(from)) writeFileSync(file, from);
  else copyFileSync(from, file);
  return file;
}

async function eventually<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readJson = (path: string): TranscriptDocument | undefined => {
  try {
    return JSON.parse(readFileSync(join(root, path), "utf8"));
  } catch {
    return undefined;
  }
};

async function transcriptOf(path: string): Promise<TranscriptDocument> {
  const document = await eventually(() => readJson(`${path}.transcript.json`), Boolean);
  if (!document) throw new Error(`no transcript of ${path} within the time allowed`);
  return document;
}

describe("transcription on one machine", () => {
  it("a WAV dropped into recordings/EXT/ gets its transcript beside it, with the words spoken", async () => {
    const path = "recordings/1000/[Ada Example]_1000-5551234_20240501101500(1).wav";
    drop(path, clip.path);
    const document = await transcriptOf(path);
    expect(document).toMatchObject({
      source: { path, kind: "recording", extension: "1000" },
      audio: { container: "wav", codec: "pcm_s16le", sampleRateHertz: 16_000, channels: 1 },
      languageCode: "en-US",
      engine: "pocketsphinx",
    });
    expect(wordsFound(clip, document.text)).toBeGreaterThan(0.6);
    expect(readFileSync(join(root, `${path}.transcript.txt`), "utf8")).toBe(`${document.text}\n`);
    expect(JSON.stringify(world.logs)).not.toContain(document.text);
  });

  it("the same event twice: one transcript, one recognition", async () => {
    const path = "recordings/1001/twice.wav";
    drop(path, clip.path);
    const first = await transcriptOf(path);
    const notification = objectFinalizedNotification({
      bucket: "local-storage",
      name: path,
      generation: "1",
      size: 1,
      updated: new Date(),
    });
    await world.runtime.userSync.bus.publish(TOPICS.recordings, notification.data, notification.attributes);
    await world.runtime.userSync.bus.publish(TOPICS.recordings, notification.data, notification.attributes);
    await transcription.scan();
    // A second recognition would be asked for as soon as a duplicate is handled (milliseconds).
    await new Promise((r) => setTimeout(r, 1500));
    expect(recognized.filter((uri) => uri.endsWith(path))).toHaveLength(1);
    expect(readJson(`${path}.transcript.json`)).toEqual(first);
  });

  it("garbage bytes named .wav are dead-lettered with the object's name and the reason", async () => {
    const path = "recordings/1000/garbage.wav";
    drop(path, Buffer.from("\u0000\u0001garbage, not a recording at all"));
    const log = new DeadLetterLog(world.runtime.userSync.state);
    const [summary] = await eventually(
      () => log.summarize([TOPICS.recordings], 10),
      ([s]) => (s?.newest ?? []).some((d) => d.reason.startsWith(path)),
    );
    expect(summary?.newest.map((d) => d.reason)).toContain(
      `${path}: not audio gw3cx reads (WAV, MP3 or Ogg Opus): found first bytes 00 01 67 61 72 62 61 67 ("..garbag")`,
    );
    expect(recognized.some((uri) => uri.endsWith(path))).toBe(false);
    expect(readJson(`${path}.transcript.json`)).toBeUndefined();
  });

  it("MP3 and Ogg Opus, as 3CX writes when set to compress, are transcribed too", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "gw3cx-enc-"));
    const mp3 = encodeWithFfmpeg(clip.path, join(scratch, "a.mp3"), ["-c:a", "libmp3lame", "-b:a", "64k"]);
    const opus = encodeWithFfmpeg(clip.path, join(scratch, "a.opus"), ["-c:a", "libopus", "-b:a", "32k"]);
    drop("recordings/1000/call.mp3", mp3);
    drop("recordings/1000/call.opus", opus);
    const [fromMp3, fromOpus] = await Promise.all([
      transcriptOf("recordings/1000/call.mp3"),
      transcriptOf("recordings/1000/call.opus"),
    ]);
    expect(fromMp3.audio).toMatchObject({ container: "mp3", codec: "mp3" });
    expect(fromOpus.audio).toMatchObject({ container: "ogg", codec: "opus" });
    expect(wordsFound(clip, fromMp3.text)).toBeGreaterThan(0.5);
    expect(wordsFound(clip, fromOpus.text)).toBeGreaterThan(0.5);
  });

  it("a voicemail's transcript is mailed to the user who owns the extension", async () => {
    const ada = world.pbxUserByEmail("ada@example.com");
    expect(ada?.Number).toMatch(/^[0-9]+$/);
    const path = `voicemails/${ada?.Number}/vmail_5551234_20240501101500.wav`;
    drop(path, clip.path);
    const document = await transcriptOf(path);
    const mail = await eventually(
      () => world.sims.google.tenant.sentMail.map((m) => parseRfc822(m.raw)),
      (all) => all.some((m) => m.headers.get("to") === "ada@example.com"),
    );
    const toAda = mail.find((m) => m.headers.get("to") === "ada@example.com");
    expect(toAda && textOf(toAda)).toContain(document.text);
  });

  it("the status shows what was transcribed and what failed", async () => {
    // The last record is finished just after its mail is sent: read until nothing is pending.
    const section = await eventually(
      () => transcriptsStatusSection(world.runtime.userSync.state, new Date()),
      (s) => (s?.summary ?? "").endsWith(" 0 pending"),
    );
    expect(section?.summary).toMatch(/^[0-9]+ done, 1 failed, 0 pending$/);
    expect(section?.rows.find((r) => r[1] === "recordings/1000/garbage.wav")?.[2]).toBe("failed");
    expect(section?.rows.some((r) => r[2] === "done" && r[3]?.includes("pocketsphinx"))).toBe(true);
  });
});
