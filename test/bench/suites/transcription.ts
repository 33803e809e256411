/**
 * Transcription pipeline (issue 12), on the single-machine adapters (local folder storage, SQLite
 * state in memory, in-process bus), each notification handled as the worker handles it
 * (handleRecordingNotification):
 * 1. overhead per file, recognition excluded: a Transcriber that answers at once, files one after
 *    another: p50/p99 from notification to both transcript objects written;
 * 2. GW3CX_BENCH_TRANSCRIPTION_BURST (default 100) notifications at once: every file gets its
 *    transcript (none lost), peak RSS of the process;
 * 3. a GW3CX_BENCH_TRANSCRIPTION_LONG_MINUTES (default 60) minute recording (8 kHz 16-bit mono WAV,
 *    what 3CX writes; made with ffmpeg in a temp folder) through the real local engine
 *    (ffmpeg + pocketsphinx): the process's RSS stays flat (the audio is never held whole in memory).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalFolderObjectStorage } from "../../../shared/adapters/local/local-folder-object-storage.js";
import { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";
import { InProcessBus } from "../../../shared/adapters/memory/in-process-bus.js";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { transcriptPathsOf } from "../../../shared/domain/transcription/archive-layout.js";
import { objectFinalizedNotification } from "../../../shared/domain/transcription/storage-notification.js";
import { createLogger } from "../../../shared/logging/logger.js";
import type { BusMessage } from "../../../shared/ports/bus.js";
import type { Transcriber, Transcript } from "../../../shared/ports/transcriber.js";
import { handleRecordingNotification } from "../../../shared/usecases/transcription/handle-recording-notification.js";
import type {
  TranscriptionConfig,
  TranscriptionHandlerPorts,
} from "../../../shared/usecases/transcription/transcription-ports.js";
import { librivoxClip } from "../../support/speech-clips.js";
import { type BenchSuite, markdownTable, percentile } from "../bench-suite.js";

const SEQUENTIAL = Number(process.env.GW3CX_BENCH_TRANSCRIPTION_SEQUENTIAL ?? 200);
const BURST = Number(process.env.GW3CX_BENCH_TRANSCRIPTION_BURST ?? 100);
const LONG_MINUTES = Number(process.env.GW3CX_BENCH_TRANSCRIPTION_LONG_MINUTES ?? 60);
/**
 * "Flat": the process grows by less than this while a recording is transcribed. A 60-minute
 * recording is 55 MB, so holding it (or a converted copy) in memory would show.
 */
const FLAT_GROWTH_MB = 24;

/** Answers at once, so only gw3cx's own work is timed. */
const instantTranscriber: Transcriber = {
  async transcribe(request): Promise<Transcript> {
    return {
      languageCode: request.languageCode,
      text: "instant words",
      segments: [{ text: "instant words", startSeconds: 0, endSeconds: 1 }],
    };
  },
};

function world(root: string, transcriber: Transcriber) {
  const storage = new LocalFolderObjectStorage({ root });
  const ports: TranscriptionHandlerPorts = {
    storage,
    transcriber,
    state: new SqliteStateStore(":memory:"),
    bus: new InProcessBus(),
    clock: { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    logger: createLogger({ component: "bench-transcription" }, { level: "error" }),
    audioUriOf: (path) => join(root, path),
  };
  const config: TranscriptionConfig = {
    enabled: true,
    languageCode: "en-US",
    userLanguages: {},
    mailVoicemails: false,
    engine: "bench",
    workerId: "bench",
  };
  return { storage, ports, config };
}

let messages = 0;
function notification(name: string, size: number): BusMessage {
  const n = objectFinalizedNotification({
    bucket: "archive",
    name,
    generation: "1",
    size,
    updated: new Date(),
  });
  return {
    id: `bench-${++messages}`,
    data: Buffer.from(JSON.stringify(n.data)),
    attributes: n.attributes,
    deliveryAttempt: 1,
    publishTime: new Date(),
  };
}

/** Samples the process's RSS every 20 ms while `work` runs; returns the peak in MB. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number; beforeMb: number }> {
  const mb = () => process.memoryUsage().rss / 1024 / 1024;
  const beforeMb = mb();
  let peakMb = beforeMb;
  const timer = setInterval(() => {
    peakMb = Math.max(peakMb, mb());
  }, 20);
  try {
    const result = await work();
    return { result, peakMb: Math.max(peakMb, mb()), beforeMb };
  } finally {
    clearInterval(timer);
  }
}

const recordingName = (i: number) =>
  `recordings/1001/[Bench Caller]_1001-0123456789_20240501${String(100000 + i).slice(-6)}(${i}).wav`;
const verdict = (ok: boolean) => (ok ? "PASS" : "**FAIL**");

const suite: BenchSuite = async () => {
  const work = mkdtempSync(join(tmpdir(), "gw3cx-bench-transcription-"));
  try {
    const clip = librivoxClip("0920");
    const clipSize = statSync(clip.path).size;

    // 1. Overhead per file, one after another.
    const sequential = world(join(work, "sequential"), instantTranscriber);
    const names = Array.from({ length: SEQUENTIAL }, (_, i) => recordingName(i));
    const audio = await readFile(clip.path);
    for (const name of names) await sequential.storage.write(name, audio);
    const timings: number[] = [];
    for (const name of names) {
      const started = performance.now();
      const outcome = await handleRecordingNotification(
        notification(name, clipSize),
        sequential.ports,
        sequential.config,
      );
      timings.push(performance.now() - started);
      if (outcome !== "ack") throw new Error(`${name}: ${outcome}`);
    }
    timings.sort((a, b) => a - b);

    // 2. A burst at once.
    const burst = world(join(work, "burst"), instantTranscriber);
    const burstNames = Array.from({ length: BURST }, (_, i) => recordingName(i));
    for (const name of burstNames) await burst.storage.write(name, audio);
    const burstStarted = performance.now();
    const { result: outcomes, peakMb: burstPeak } = await peakRss(() =>
      Promise.all(
        burstNames.map((name) =>
          handleRecordingNotification(notification(name, clipSize), burst.ports, burst.config),
        ),
      ),
    );
    const burstMs = performance.now() - burstStarted;
    const written = await Promise.all(
      burstNames.map(async (name) => Boolean(await burst.storage.stat(transcriptPathsOf(name).text))),
    );
    const lost = written.filter((w) => !w).length;
    const nacked = outcomes.filter((o) => o !== "ack").length;

    // 3. A long recording through the real local engine: the clip, then silence, 8 kHz as 3CX writes.
    const long = world(join(work, "long"), new PocketsphinxTranscriber());
    const longName = recordingName(9999);
    const longFile = join(long.storage.root, longName);
    mkdirSync(join(long.storage.root, "recordings", "1001"), { recursive: true });
    execFileSync("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-nostdin",
      "-y",
      "-i",
      clip.path,
      "-f",
      "lavfi",
      "-t",
      String(LONG_MINUTES * 60),
      "-i",
      "anullsrc=r=8000:cl=mono",
      "-filter_complex",
      "[0:a]aresample=8000[a0];[a0][1:a]concat=n=2:v=0:a=1",
      "-t",
      String(LONG_MINUTES * 60),
      "-ar",
      "8000",
      "-ac",
      "1",
      "-c:a",
      "pcm_s16le",
      longFile,
    ]);
    const longBytes = statSync(longFile).size;
    const longStarted = performance.now();
    const {
      result: longOutcome,
      peakMb: longPeak,
      beforeMb: longBefore,
    } = await peakRss(() =>
      handleRecordingNotification(notification(longName, longBytes), long.ports, long.config),
    );
    const longSeconds = (performance.now() - longStarted) / 1000;
    const longTranscript = await long.storage.stat(transcriptPathsOf(longName).text);
    const growthMb = longPeak - longBefore;
    const flat = growthMb < FLAT_GROWTH_MB;

    const rows: Array<Array<string | number>> = [
      [
        `overhead per file, ${SEQUENTIAL} files one after another (instant recognizer)`,
        `p50 ${percentile(timings, 50).toFixed(1)} ms, p99 ${percentile(timings, 99).toFixed(1)} ms`,
        "-",
      ],
      [
        `${BURST} notifications at once (instant recognizer)`,
        `${burstMs.toFixed(0)} ms; transcripts ${BURST - lost}/${BURST}, nacked ${nacked}; peak RSS ${burstPeak.toFixed(0)} MB`,
        verdict(lost === 0 && nacked === 0),
      ],
      [
        `${LONG_MINUTES}-minute recording, ${(longBytes / 1024 / 1024).toFixed(1)} MB WAV, local engine (ffmpeg + pocketsphinx)`,
        `${longOutcome}, transcript ${longTranscript ? "written" : "missing"} in ${longSeconds.toFixed(1)} s; RSS ${longBefore.toFixed(0)} -> peak ${longPeak.toFixed(0)} MB (+${growthMb.toFixed(0)} MB)`,
        verdict(Boolean(longTranscript) && flat),
      ],
    ];
    return {
      title: "Transcription pipeline",
      markdown: [
        "Single-machine adapters (local folder, SQLite in memory, in-process bus), each notification through `handleRecordingNotification` as the worker runs it.",
        `"Flat" means the process grew by less than ${FLAT_GROWTH_MB} MB while transcribing the recording (60 minutes of 8 kHz WAV is 55 MB); the audio is converted by ffmpeg into a temp file and decoded by pocketsphinx, both separate processes, and gw3cx itself reads only its first bytes.`,
        "",
        markdownTable(["measure", "result", "verdict"], rows),
      ].join("\n"),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export default suite;
