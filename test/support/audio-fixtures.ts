import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Debian's pocketsphinx-testdata: real speech, 16 kHz mono PCM WAV, with its reference text. */
export const LIBRIVOX_DIR = "/usr/share/pocketsphinx/test/data/librivox";
export const LIBRIVOX_0920 = join(LIBRIVOX_DIR, "sense_and_sensibility_01_austen_64kb-0920.wav");
/** The reference text of a clip, from the `transcription` file beside the clips. */
export function librivoxReference(clip: string): string {
  const line = readFileSync(join(LIBRIVOX_DIR, "transcription"), "utf8")
    .split("\n")
    .find((l) => l.includes(`(${clip})`));
  if (!line) throw new Error(`no reference text for ${clip}`);
  return line
    .replace(/<\/?s>/g, "")
    .replace(/\(.*\)/, "")
    .trim();
}

/**
 * Encodes a file with ffmpeg (installed with the test tools) and returns the new file's path.
 * `inputArgs` go before the input (e.g. -stream_loop N to repeat it).
 */
export function encodeWithFfmpeg(
  input: string,
  name: string,
  args: readonly string[],
  inputArgs: readonly string[] = [],
): string {
  const output = join(mkdtempSync(join(tmpdir(), "gw3cx-audio-")), name);
  execFileSync("ffmpeg", ["-v", "error", "-y", ...inputArgs, "-i", input, ...args, output]);
  return output;
}

/** A canonical 44-byte WAV header with the given fields, then `dataBytes` zero bytes of audio. */
export function wavBytes(options: {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
  /** What the header claims as the data size (a recorder still writing leaves 0). */
  declaredDataBytes?: number;
}): Buffer {
  const blockAlign = Math.max(1, (options.channels * options.bitsPerSample) / 8);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + options.dataBytes, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(options.formatTag, 20);
  header.writeUInt16LE(options.channels, 22);
  header.writeUInt32LE(options.sampleRate, 24);
  header.writeUInt32LE(options.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(options.bitsPerSample, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(options.declaredDataBytes ?? options.dataBytes, 40);
  return Buffer.concat([header, Buffer.alloc(options.dataBytes)]);
}
