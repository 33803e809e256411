/**
 * What an audio object is, read from its first bytes (never its name): the container, the codec
 * and what the header says of sample rate, channels and duration. Pure: the caller reads the bytes.
 */

export type AudioCodec =
  | "pcm_s16le"
  | "pcm_u8"
  | "pcm_s24le"
  | "pcm_s32le"
  | "pcm_f32le"
  | "mulaw"
  | "alaw"
  | "mp3"
  | "opus"
  /** A WAV codec gw3cx knows by name but that Speech does not take as is (GSM 6.10, ADPCM, ...). */
  | `wav:${string}`;

export interface AudioFormat {
  container: "wav" | "mp3" | "ogg";
  codec: AudioCodec;
  sampleRateHertz: number;
  channels: number;
  /** From the header; for MP3 an estimate from the first frame's bit rate. Undefined when the header cannot tell. */
  durationSeconds?: number;
}

export type AudioDetection = { ok: true; format: AudioFormat } | { ok: false; reason: string };

const WAV_CODECS: Record<number, { codec: (bits: number) => AudioCodec | undefined; name: string }> = {
  1: {
    name: "PCM",
    codec: (bits) =>
      ({ 8: "pcm_u8", 16: "pcm_s16le", 24: "pcm_s24le", 32: "pcm_s32le" })[bits] as AudioCodec | undefined,
  },
  3: { name: "IEEE float", codec: (bits) => (bits === 32 ? "pcm_f32le" : undefined) },
  6: { name: "A-law", codec: () => "alaw" },
  7: { name: "mu-law", codec: () => "mulaw" },
  2: { name: "MS ADPCM", codec: () => "wav:ms_adpcm" },
  17: { name: "IMA ADPCM", codec: () => "wav:ima_adpcm" },
  49: { name: "GSM 6.10", codec: () => "wav:gsm610" },
  85: { name: "MP3", codec: () => "mp3" },
  100: { name: "G.721 ADPCM", codec: () => "wav:g721" },
};

/**
 * Reads the format from the object's first bytes (`bytes`; 256 KB is plenty), its whole size
 * (`totalBytes`; the duration of a WAV whose header was never finished, of an MP3 without a frame
 * count) and, for Ogg, its last bytes (`tail`; the last page's position is the duration). Without
 * them, `bytes` is taken as the whole object.
 */
export function detectAudioFormat(
  bytes: Buffer,
  whole: { totalBytes?: number; tail?: Buffer } = {},
): AudioDetection {
  const totalBytes = whole.totalBytes ?? bytes.length;
  if (totalBytes === 0 || bytes.length === 0) return { ok: false, reason: "the object is empty (0 bytes)" };
  const magic4 = bytes.subarray(0, 4).toString("latin1");
  if (magic4 === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WAVE")
    return readWav(bytes, totalBytes);
  if (magic4 === "RIFF")
    return { ok: false, reason: `a RIFF file of type ${quoted(bytes.subarray(8, 12))}, not WAVE` };
  if (magic4 === "RF64")
    return { ok: false, reason: "an RF64 (over 4 GB) WAV file, which gw3cx does not read" };
  if (magic4 === "OggS") return readOgg(bytes, whole.tail ?? bytes);
  if (bytes.subarray(0, 3).toString("latin1") === "ID3" || isMp3FrameAt(bytes, 0))
    return readMp3(bytes, totalBytes);
  return { ok: false, reason: `not audio gw3cx reads (WAV, MP3 or Ogg Opus): ${describeUnknown(bytes)}` };
}

/** Speech-to-Text takes these as they are; anything else is converted first (or refused). */
export function isSpeechNativeCodec(codec: AudioCodec): boolean {
  return (
    codec === "pcm_s16le" || codec === "mulaw" || codec === "alaw" || codec === "mp3" || codec === "opus"
  );
}

// ---- WAV ---------------------------------------------------------------------------------------

function readWav(bytes: Buffer, totalBytes: number): AudioDetection {
  let offset = 12;
  let fmt: { tag: number; channels: number; sampleRate: number; byteRate: number; bits: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.subarray(offset, offset + 4).toString("latin1");
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > bytes.length)
        return { ok: false, reason: `WAV "fmt " chunk too short (${size} bytes)` };
      let tag = bytes.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (tag === 0xfffe && size >= 40 && body + 26 <= bytes.length) tag = bytes.readUInt16LE(body + 24);
      fmt = {
        tag,
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        byteRate: bytes.readUInt32LE(body + 8),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === "data") {
      if (!fmt) return { ok: false, reason: 'WAV "data" chunk before its "fmt " chunk' };
      // A recorder that never finished the header leaves the size at 0 or 0xFFFFFFFF: count what is there.
      const available = totalBytes - body;
      const dataBytes = size === 0 || size === 0xffffffff || size > available ? available : size;
      return wavFormat(fmt, dataBytes);
    }
    offset = body + size + (size % 2);
  }
  return { ok: false, reason: fmt ? 'WAV without a "data" chunk' : 'WAV without a "fmt " chunk' };
}

function wavFormat(
  fmt: { tag: number; channels: number; sampleRate: number; byteRate: number; bits: number },
  dataBytes: number,
): AudioDetection {
  const known = WAV_CODECS[fmt.tag];
  const tagText = `0x${fmt.tag.toString(16).padStart(4, "0")}`;
  if (!known) return { ok: false, reason: `WAV with codec ${tagText}, which gw3cx does not read` };
  const codec = known.codec(fmt.bits);
  if (!codec)
    return {
      ok: false,
      reason: `WAV ${known.name} with ${fmt.bits} bits per sample, which gw3cx does not read`,
    };
  if (fmt.channels < 1 || fmt.sampleRate < 1)
    return {
      ok: false,
      reason: `WAV ${known.name} header says ${fmt.channels} channels at ${fmt.sampleRate} Hz`,
    };
  return {
    ok: true,
    format: {
      container: "wav",
      codec,
      sampleRateHertz: fmt.sampleRate,
      channels: fmt.channels,
      ...(fmt.byteRate > 0 ? { durationSeconds: round(dataBytes / fmt.byteRate) } : {}),
    },
  };
}

// ---- Ogg ---------------------------------------------------------------------------------------

function readOgg(bytes: Buffer, tail: Buffer): AudioDetection {
  // The first page holds one packet: its 27-byte header, the segment table, then the packet.
  if (bytes.length < 28) return { ok: false, reason: "an Ogg file cut short in its first page" };
  const segments = bytes[26] ?? 0;
  const packet = bytes.subarray(27 + segments);
  if (packet.subarray(0, 8).toString("latin1") !== "OpusHead") {
    const found =
      packet.subarray(1, 7).toString("latin1") === "vorbis" ? "Vorbis" : quoted(packet.subarray(0, 8));
    return { ok: false, reason: `Ogg with ${found} inside, not Opus` };
  }
  if (packet.length < 19) return { ok: false, reason: "Ogg Opus with a short OpusHead" };
  const channels = packet[9] ?? 0;
  const preSkip = packet.readUInt16LE(10);
  const inputRate = packet.readUInt32LE(12);
  const lastGranule = lastOggGranule(tail);
  return {
    ok: true,
    format: {
      container: "ogg",
      codec: "opus",
      // Opus always decodes at 48 kHz; the header's input rate is what was recorded.
      sampleRateHertz: inputRate > 0 ? inputRate : 48_000,
      channels,
      ...(lastGranule !== undefined && lastGranule > preSkip
        ? { durationSeconds: round((lastGranule - preSkip) / 48_000) }
        : {}),
    },
  };
}

/** The granule position of the last complete page: Opus counts it in 48 kHz samples. */
function lastOggGranule(bytes: Buffer): number | undefined {
  for (let at = bytes.lastIndexOf("OggS"); at >= 0; at = bytes.lastIndexOf("OggS", at - 1)) {
    if (at + 14 > bytes.length) continue;
    const granule = bytes.readBigInt64LE(at + 6);
    if (granule >= 0n) return Number(granule);
    if (at === 0) break;
  }
  return undefined;
}

// ---- MP3 ---------------------------------------------------------------------------------------

const MP3_BITRATES_KBPS: Record<string, number[]> = {
  // MPEG-1 Layer III, then MPEG-2/2.5 Layer III; index 0 is "free", 15 is invalid.
  "1": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_SAMPLE_RATES: Record<number, number[]> = {
  3: [44_100, 48_000, 32_000],
  2: [22_050, 24_000, 16_000],
  0: [11_025, 12_000, 8_000],
};

function isMp3FrameAt(bytes: Buffer, at: number): boolean {
  const b1 = bytes[at + 1] ?? 0;
  // 11 sync bits, a version other than "reserved", layer III.
  return bytes[at] === 0xff && (b1 & 0xe0) === 0xe0 && ((b1 >> 3) & 3) !== 1 && ((b1 >> 1) & 3) === 1;
}

function readMp3(bytes: Buffer, totalBytes: number): AudioDetection {
  let at = 0;
  if (bytes.subarray(0, 3).toString("latin1") === "ID3" && bytes.length >= 10) {
    // The ID3v2 size is "syncsafe": 7 bits per byte.
    const tagSize =
      ((bytes[6] ?? 0) << 21) | ((bytes[7] ?? 0) << 14) | ((bytes[8] ?? 0) << 7) | (bytes[9] ?? 0);
    at = 10 + tagSize;
  }
  const start = at;
  while (at + 4 <= bytes.length && !isMp3FrameAt(bytes, at) && at - start < 64 * 1024) at++;
  if (!isMp3FrameAt(bytes, at))
    return { ok: false, reason: "an ID3 tag with no MP3 (MPEG layer III) frame after it" };
  const b1 = bytes[at + 1] as number;
  const b2 = bytes[at + 2] as number;
  const b3 = bytes[at + 3] as number;
  const version = (b1 >> 3) & 3;
  const sampleRate = MP3_SAMPLE_RATES[version]?.[(b2 >> 2) & 3];
  const kbps = MP3_BITRATES_KBPS[version === 3 ? "1" : "2"]?.[(b2 >> 4) & 15];
  if (!sampleRate) return { ok: false, reason: "an MP3 frame with an invalid sample rate" };
  const channels = b3 >> 6 === 3 ? 1 : 2;
  const frames = xingFrameCount(bytes, at, version === 3, channels);
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const durationSeconds =
    frames !== undefined
      ? frames * (samplesPerFrame / sampleRate)
      : kbps
        ? // Exact for constant bit rate (what 3CX writes); an estimate for variable bit rate.
          ((totalBytes - at) * 8) / (kbps * 1000)
        : undefined;
  return {
    ok: true,
    format: {
      container: "mp3",
      codec: "mp3",
      sampleRateHertz: sampleRate,
      channels,
      ...(durationSeconds !== undefined ? { durationSeconds: round(durationSeconds) } : {}),
    },
  };
}

/** The frame count of a Xing/Info header (LAME writes one in the first frame), when there is one. */
function xingFrameCount(bytes: Buffer, frame: number, mpeg1: boolean, channels: number): number | undefined {
  const sideInfo = mpeg1 ? (channels === 1 ? 17 : 32) : channels === 1 ? 9 : 17;
  const at = frame + 4 + sideInfo;
  if (at + 12 > bytes.length) return undefined;
  const tag = bytes.subarray(at, at + 4).toString("latin1");
  if (tag !== "Xing" && tag !== "Info") return undefined;
  const flags = bytes.readUInt32BE(at + 4);
  return flags & 1 ? bytes.readUInt32BE(at + 8) : undefined;
}

// ---- helpers -----------------------------------------------------------------------------------

const KNOWN_OTHERS: ReadonlyArray<[prefix: string, name: string]> = [
  ["fLaC", "FLAC audio"],
  ["\u001aE\u00df\u00a3", "a Matroska/WebM file"],
  ["%PDF", "a PDF document"],
  ["PK\u0003\u0004", "a ZIP archive"],
  ["\u0089PNG", "a PNG image"],
  ["#!AMR", "AMR audio"],
];

function describeUnknown(bytes: Buffer): string {
  const head = bytes.subarray(0, 16).toString("latin1");
  const known = KNOWN_OTHERS.find(([prefix]) => head.startsWith(prefix));
  if (known) return `found ${known[1]}`;
  if (head.slice(4, 8) === "ftyp") return `found an MP4/M4A file (brand ${quoted(bytes.subarray(8, 12))})`;
  const hex = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return `found first bytes ${hex} (${quoted(bytes.subarray(0, 8))})`;
}

function quoted(bytes: Buffer): string {
  return JSON.stringify(
    [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join(""),
  );
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
