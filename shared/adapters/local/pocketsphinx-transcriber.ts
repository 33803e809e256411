import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Transcriber, TranscriberError, type Transcript } from "../../ports/transcriber.js";
import { type ProcessOutcome, ProgramMissingError, runProgram } from "./child-process.js";
import { PocketsphinxOutputParser, segmentOf, type Utterance } from "./pocketsphinx-output.js";

export interface PocketsphinxOptions {
  /** The acoustic model folder; pocketsphinx's own default (Debian's en-US model) when absent. */
  modelDir?: string;
  /** Longest ffmpeg may take to convert one file. */
  convertTimeoutMs?: number;
  /** Longest recognition of one file may take (pocketsphinx runs about real time on one core). */
  recognizeTimeoutMs?: number;
  ffmpegPath?: string;
  pocketsphinxPath?: string;
}

/** The languages Debian's pocketsphinx-en-us model knows. */
const MODEL_LANGUAGES = ["en-us", "en"];

/** Where Debian's pocketsphinx-en-us puts the model pocketsphinx uses by default. */
const DEBIAN_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us/en-us";
const PROBE_TIMEOUT_MS = 10_000;

const DEBIAN_PACKAGES = "ffmpeg, pocketsphinx and pocketsphinx-en-us";

/**
 * The offline engine of the single machine: ffmpeg turns whatever 3CX wrote (WAV PCM or mu-law,
 * MP3, Opus) into the 16 kHz mono 16-bit WAV the en-US model was trained on, in a temp file
 * (ffmpeg streams it; Node never holds the audio), then pocketsphinx_continuous decodes it with
 * word times.
 */
export class PocketsphinxTranscriber implements Transcriber {
  private readonly ffmpeg: string;
  private readonly pocketsphinx: string;
  private readonly convertTimeoutMs: number;
  private readonly recognizeTimeoutMs: number;

  constructor(private readonly options: PocketsphinxOptions = {}) {
    this.ffmpeg = options.ffmpegPath ?? "ffmpeg";
    this.pocketsphinx = options.pocketsphinxPath ?? "pocketsphinx_continuous";
    this.convertTimeoutMs = options.convertTimeoutMs ?? 10 * 60_000;
    this.recognizeTimeoutMs = options.recognizeTimeoutMs ?? 3 * 60 * 60_000;
  }

  /**
   * Whether the engine can run on this machine: both programs start and the model is installed.
   * Throws TRANSCRIBE_ENGINE_MISSING naming what is not there (for `gw3cx doctor`).
   */
  async probe(): Promise<void> {
    await this.run(this.ffmpeg, ["-hide_banner", "-version"], PROBE_TIMEOUT_MS);
    // Without arguments pocketsphinx prints its usage and exits 1: it starting is what counts.
    await this.run(this.pocketsphinx, [], PROBE_TIMEOUT_MS);
    const model = this.options.modelDir ?? DEBIAN_MODEL_DIR;
    try {
      await stat(model);
    } catch (error) {
      throw new TranscriberError(
        "TRANSCRIBE_ENGINE_MISSING",
        `the local engine's en-US model is not at ${model}: install the Debian package pocketsphinx-en-us`,
        { cause: error, details: { modelDir: model } },
      );
    }
  }

  async transcribe(request: { audioUri: string; languageCode: string }): Promise<Transcript> {
    const segments = (await this.utterances(request)).map(segmentOf);
    return { languageCode: request.languageCode, text: segments.map((s) => s.text).join(" "), segments };
  }

  /** The utterances with each word's times and confidence (what a word-level consumer needs). */
  async utterances(request: { audioUri: string; languageCode: string }): Promise<Utterance[]> {
    if (!MODEL_LANGUAGES.includes(request.languageCode.toLowerCase())) {
      throw new TranscriberError(
        "TRANSCRIBE_LANGUAGE_UNSUPPORTED",
        `the local engine (pocketsphinx) only has an en-US model; languageCode "${request.languageCode}" needs Speech-to-Text in the cloud`,
        { details: { languageCode: request.languageCode } },
      );
    }
    const audioPath = localPathOf(request.audioUri);
    await assertReadable(audioPath);
    const workDir = await mkdtemp(join(tmpdir(), "gw3cx-pocketsphinx-"));
    try {
      const wav = join(workDir, "audio-16k.wav");
      await this.convert(audioPath, wav);
      return await this.recognize(wav);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async convert(input: string, output: string): Promise<void> {
    const args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", input];
    args.push("-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", output);
    const outcome = await this.run(this.ffmpeg, args, this.convertTimeoutMs);
    if (outcome.timedOut) {
      throw new TranscriberError(
        "TRANSCRIBE_FAILED",
        `ffmpeg did not convert ${input} within ${this.convertTimeoutMs} ms`,
      );
    }
    if (outcome.exitCode !== 0) {
      const reason =
        lastLine(outcome.stderrTail) || `ffmpeg exited with ${outcome.exitCode ?? outcome.signal}`;
      throw new TranscriberError(
        "TRANSCRIBE_UNSUPPORTED_AUDIO",
        `cannot read the audio of ${input}: ${reason}`,
        {
          details: { audioUri: input, reason },
        },
      );
    }
  }

  private async recognize(wav: string): Promise<Utterance[]> {
    const parser = new PocketsphinxOutputParser();
    const args = ["-infile", wav, "-time", "yes", "-logfn", "/dev/null"];
    if (this.options.modelDir) args.push("-hmm", this.options.modelDir);
    const outcome = await this.run(this.pocketsphinx, args, this.recognizeTimeoutMs, (line) =>
      parser.push(line),
    );
    if (outcome.timedOut) {
      throw new TranscriberError(
        "TRANSCRIBE_FAILED",
        `pocketsphinx did not finish within ${this.recognizeTimeoutMs} ms`,
      );
    }
    if (outcome.exitCode !== 0) {
      throw new TranscriberError(
        "TRANSCRIBE_FAILED",
        `pocketsphinx failed (${outcome.exitCode ?? outcome.signal}): ${lastLine(outcome.stderrTail)}`,
      );
    }
    return parser.utterances();
  }

  private async run(
    program: string,
    args: string[],
    timeoutMs: number,
    onLine?: (line: string) => void,
  ): Promise<ProcessOutcome> {
    try {
      return await runProgram(program, args, { timeoutMs, ...(onLine ? { onLine } : {}) });
    } catch (error) {
      if (error instanceof ProgramMissingError) {
        throw new TranscriberError(
          "TRANSCRIBE_ENGINE_MISSING",
          `the local transcription engine needs ${program}: install the Debian packages ${DEBIAN_PACKAGES} (apt-get install -y ffmpeg pocketsphinx pocketsphinx-en-us)`,
          { cause: error, details: { program } },
        );
      }
      throw new TranscriberError("TRANSCRIBE_FAILED", `cannot run ${program}`, { cause: error });
    }
  }
}

function localPathOf(audioUri: string): string {
  if (audioUri.startsWith("file:")) return fileURLToPath(audioUri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(audioUri)) {
    throw new TranscriberError(
      "TRANSCRIBE_FAILED",
      `the local engine reads files of the local storage, not ${audioUri.split("://")[0]}:// URIs`,
      { details: { audioUri } },
    );
  }
  return audioUri;
}

async function assertReadable(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a file");
  } catch (error) {
    throw new TranscriberError(
      "TRANSCRIBE_UNSUPPORTED_AUDIO",
      `cannot read the audio ${path}: no such file`,
      {
        cause: error,
        details: { audioUri: path },
      },
    );
  }
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop()?.trim() ?? "";
}
