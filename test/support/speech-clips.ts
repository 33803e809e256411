import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Debian's pocketsphinx-testdata: real read speech, 16 kHz mono PCM, with the text that was read. */
export const LIBRIVOX_DIR = "/usr/share/pocketsphinx/test/data/librivox";

export interface SpeechClip {
  path: string;
  /** The words read, lower case, as the testdata's `transcription` file gives them. */
  words: string[];
}

export function librivoxClip(number: "0870" | "0920" | "0930"): SpeechClip {
  const id = `sense_and_sensibility_01_austen_64kb-${number}`;
  const line = readFileSync(join(LIBRIVOX_DIR, "transcription"), "utf8")
    .split("\n")
    .find((l) => l.includes(`(${id})`));
  if (!line) throw new Error(`${id} is not in the testdata's transcription file`);
  const text = line.replace(/<\/?s>/g, "").replace(/\(.*\)/, "");
  return { path: join(LIBRIVOX_DIR, `${id}.wav`), words: text.trim().split(/\s+/) };
}

/** Share of the clip's distinct words found in a transcript (recognition is never word perfect). */
export function wordsFound(clip: SpeechClip, transcript: string): number {
  const heard = new Set(transcript.toLowerCase().split(/[^a-z']+/));
  const expected = [...new Set(clip.words)];
  return expected.filter((w) => heard.has(w)).length / expected.length;
}

/** Re-encodes a clip (or renders a lavfi source such as "anullsrc=...") with ffmpeg (e.g. ["-c:a", "libmp3lame"] into out.mp3), as 3CX might store it. */
export function encodeWithFfmpeg(input: string, output: string, codecArgs: string[]): string {
  const source = input.includes("=") ? ["-f", "lavfi", "-i", input] : ["-i", input];
  execFileSync("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostdin",
    "-y",
    ...source,
    ...codecArgs,
    output,
  ]);
  return output;
}
