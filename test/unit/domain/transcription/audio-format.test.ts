import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectAudioFormat } from "../../../../shared/domain/transcription/audio-format.js";
import { encodedCopy, LIBRIVOX_0920, wavBytes } from "../../../support/audio-fixtures.js";

/** The clip is 6.05 s of 16 kHz mono speech. */
const CLIP_SECONDS = 6.05;

describe("audio format from the first bytes", () => {
  it("reads a real PCM WAV: codec, rate, channels and duration from the header", () => {
    expect(detectAudioFormat(readFileSync(LIBRIVOX_0920))).toEqual({
      ok: true,
      format: {
        container: "wav",
        codec: "pcm_s16le",
        sampleRateHertz: 16_000,
        channels: 1,
        durationSeconds: CLIP_SECONDS,
      },
    });
  });

  it("reads mu-law and a-law WAV at 8 kHz as 3CX writes telephony audio", () => {
    for (const [codec, ffmpegCodec] of [
      ["mulaw", "pcm_mulaw"],
      ["alaw", "pcm_alaw"],
    ] as const) {
      const file = encodedCopy(LIBRIVOX_0920, `${codec}.wav`, ["-c:a", ffmpegCodec, "-ar", "8000"]);
      const detected = detectAudioFormat(readFileSync(file));
      expect(detected).toMatchObject({ ok: true, format: { codec, sampleRateHertz: 8000, channels: 1 } });
      expect(detected.ok && detected.format.durationSeconds).toBeCloseTo(CLIP_SECONDS, 1);
    }
  });

  it("names other WAV codecs and takes stereo and the duration from the header", () => {
    const gsm = wavBytes({
      formatTag: 0x31,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 0,
      dataBytes: 1625,
    });
    // GSM 6.10's byte rate is 1625 bytes per second; the canonical header here says 8000 * 1.
    expect(detectAudioFormat(gsm)).toMatchObject({
      ok: true,
      format: { codec: "wav:gsm610", sampleRateHertz: 8000 },
    });
    const stereo = wavBytes({
      formatTag: 1,
      channels: 2,
      sampleRate: 8000,
      bitsPerSample: 16,
      dataBytes: 64_000,
    });
    expect(detectAudioFormat(stereo)).toMatchObject({
      ok: true,
      format: { codec: "pcm_s16le", channels: 2, durationSeconds: 2 },
    });
  });

  it("counts the bytes there when a recorder left the data size unwritten", () => {
    const unfinished = wavBytes({
      formatTag: 1,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 16,
      dataBytes: 16_000,
      declaredDataBytes: 0,
    });
    expect(detectAudioFormat(unfinished)).toMatchObject({ ok: true, format: { durationSeconds: 1 } });
  });

  it("refuses a WAV codec it does not know, naming the codec number", () => {
    const odd = wavBytes({
      formatTag: 0x1234,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 8,
      dataBytes: 10,
    });
    expect(detectAudioFormat(odd)).toEqual({
      ok: false,
      reason: "WAV with codec 0x1234, which gw3cx does not read",
    });
  });

  it("reads MP3 (with its ID3 tag) and estimates its length from the bit rate", () => {
    const file = encodedCopy(LIBRIVOX_0920, "a.mp3", ["-c:a", "libmp3lame", "-b:a", "32k"]);
    const detected = detectAudioFormat(readFileSync(file));
    expect(detected).toMatchObject({
      ok: true,
      format: { container: "mp3", codec: "mp3", sampleRateHertz: 16_000, channels: 1 },
    });
    expect(detected.ok && detected.format.durationSeconds).toBeGreaterThan(CLIP_SECONDS - 0.5);
    expect(detected.ok && detected.format.durationSeconds).toBeLessThan(CLIP_SECONDS + 0.5);
  });

  it("reads Ogg Opus, its duration from the last page", () => {
    const file = encodedCopy(LIBRIVOX_0920, "a.opus", ["-c:a", "libopus"]);
    const detected = detectAudioFormat(readFileSync(file));
    expect(detected).toMatchObject({
      ok: true,
      format: { container: "ogg", codec: "opus", sampleRateHertz: 16_000, channels: 1 },
    });
    expect(detected.ok && detected.format.durationSeconds).toBeCloseTo(CLIP_SECONDS, 1);
  });

  it("refuses Ogg Vorbis, FLAC and anything else with what it found", () => {
    const vorbis = encodedCopy(LIBRIVOX_0920, "v.ogg", ["-c:a", "libvorbis"]);
    expect(detectAudioFormat(readFileSync(vorbis))).toEqual({
      ok: false,
      reason: "Ogg with Vorbis inside, not Opus",
    });
    const flac = encodedCopy(LIBRIVOX_0920, "a.flac", []);
    expect(detectAudioFormat(readFileSync(flac))).toEqual({
      ok: false,
      reason: "not audio gw3cx reads (WAV, MP3 or Ogg Opus): found FLAC audio",
    });
    expect(detectAudioFormat(Buffer.from("<html><body>404</body></html>"))).toEqual({
      ok: false,
      reason:
        'not audio gw3cx reads (WAV, MP3 or Ogg Opus): found first bytes 3c 68 74 6d 6c 3e 3c 62 ("<html><b")',
    });
    expect(detectAudioFormat(Buffer.alloc(0))).toEqual({
      ok: false,
      reason: "the object is empty (0 bytes)",
    });
  });

  it("refuses a WAV cut short before its audio", () => {
    const header = wavBytes({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, dataBytes: 0 });
    expect(detectAudioFormat(header.subarray(0, 36))).toEqual({
      ok: false,
      reason: 'WAV without a "data" chunk',
    });
    expect(detectAudioFormat(header.subarray(0, 12))).toEqual({
      ok: false,
      reason: 'WAV without a "fmt " chunk',
    });
  });
});
