import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import type { CheckedConfig } from "./request-checks.js";
import { SpeechFault } from "./speech-fault.js";

const run = promisify(execFile);

/** What auto_decoding_config accepts (the v2 proto's list): container -> audio codecs. */
const AUTO_DETECTED: { format: RegExp; codecs: string[] }[] = [
  { format: /^wav$/, codecs: ["pcm_s16le", "pcm_mulaw", "pcm_alaw"] },
  { format: /^flac$/, codecs: ["flac"] },
  { format: /^mp3$/, codecs: ["mp3"] },
  { format: /^ogg$/, codecs: ["opus"] },
  { format: /webm/, codecs: ["opus"] },
  { format: /mp4|mov|m4a/, codecs: ["aac"] },
  { format: /^amr$/, codecs: ["amr_nb", "amr_wb"] },
];

/** Explicit encodings with a container the stand-in checks the file against. */
const CONTAINED: Record<string, string[]> = {
  FLAC: ["flac"],
  MP3: ["mp3"],
  OGG_OPUS: ["opus"],
  WEBM_OPUS: ["opus"],
  MP4_AAC: ["aac"],
  M4A_AAC: ["aac"],
  MOV_AAC: ["aac"],
  AMR: ["amr_nb"],
  AMR_WB: ["amr_wb"],
};

/** Headerless PCM: ffmpeg's raw format for it and its bytes per sample. */
const HEADERLESS: Record<string, { format: string; bytesPerSample: number }> = {
  LINEAR16: { format: "s16le", bytesPerSample: 2 },
  MULAW: { format: "mulaw", bytesPerSample: 1 },
  ALAW: { format: "alaw", bytesPerSample: 1 },
};

const UNSUPPORTED =
  "Audio data does not appear to be in a supported encoding. If you believe this to be incorrect, try explicitly specifying the decoding parameters.";

export interface PreparedAudio {
  /** A file ffmpeg can read on its own (the original, or a WAV made from headerless samples). */
  path: string;
  durationSeconds: number;
}

interface Probe {
  format: string;
  codec: string;
  durationSeconds: number;
}

async function probe(path: string): Promise<Probe | undefined> {
  try {
    const { stdout } = await run("ffprobe", [
      "-v",
      "error",
      "-show_entries",
      "format=format_name,duration:stream=codec_name,codec_type",
      "-of",
      "json",
      path,
    ]);
    const info = JSON.parse(stdout) as {
      format?: { format_name?: string; duration?: string };
      streams?: { codec_name?: string; codec_type?: string }[];
    };
    const audio = info.streams?.find((s) => s.codec_type === "audio");
    if (!audio?.codec_name || !info.format?.format_name) return undefined;
    return {
      format: info.format.format_name,
      codec: audio.codec_name,
      durationSeconds: Number(info.format.duration ?? 0),
    };
  } catch {
    return undefined;
  }
}

/** Checks the audio against the decoding config as Speech would and measures how long it lasts. */
export async function prepareAudio(
  path: string,
  config: CheckedConfig,
  workDir: string,
): Promise<PreparedAudio> {
  const explicit = config.explicit;
  const raw = explicit ? HEADERLESS[explicit.encoding] : undefined;
  if (explicit && raw) {
    const rate = explicit.sampleRateHertz;
    if (rate === undefined) {
      throw new SpeechFault(
        "INVALID_ARGUMENT",
        `sample_rate_hertz is required for ${explicit.encoding} audio`,
      );
    }
    const channels = explicit.audioChannelCount ?? 1;
    const bytes = (await stat(path)).size;
    const wav = `${workDir}/headerless.wav`;
    await run("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-nostdin",
      "-y",
      "-f",
      raw.format,
      "-ar",
      String(rate),
      "-ac",
      String(channels),
      "-i",
      path,
      wav,
    ]);
    return { path: wav, durationSeconds: bytes / (raw.bytesPerSample * channels * rate) };
  }
  const found = await probe(path);
  if (!found) throw new SpeechFault("INVALID_ARGUMENT", UNSUPPORTED);
  if (explicit) {
    const codecs = CONTAINED[explicit.encoding];
    if (!codecs?.includes(found.codec)) {
      throw new SpeechFault(
        "INVALID_ARGUMENT",
        `The audio is ${found.codec} in ${found.format}, not the ${explicit.encoding} the explicit decoding config names.`,
      );
    }
  } else if (
    !AUTO_DETECTED.some((rule) => rule.format.test(found.format) && rule.codecs.includes(found.codec))
  ) {
    throw new SpeechFault("INVALID_ARGUMENT", `${UNSUPPORTED} (found ${found.codec} in ${found.format})`);
  }
  return { path, durationSeconds: found.durationSeconds };
}
