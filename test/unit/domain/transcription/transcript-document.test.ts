import { describe, expect, it } from "vitest";
import {
  buildTranscriptDocument,
  transcriptPlainText,
} from "../../../../shared/domain/transcription/transcript-document.js";

const audio = {
  container: "wav",
  codec: "mulaw",
  sampleRateHertz: 8000,
  channels: 1,
  durationSeconds: 12.5,
} as const;

describe("the transcript document", () => {
  it("records the source, the audio, the language and the engine, with the words trimmed", () => {
    const document = buildTranscriptDocument({
      source: { path: "voicemails/1001/v.wav", generation: "7", kind: "voicemail", extension: "1001" },
      audio,
      languageCode: "de-DE",
      engine: "speech-v2/telephony",
      text: "  hallo welt \n",
      segments: [{ text: "hallo welt", startSeconds: 0.4, endSeconds: 1.2, confidence: undefined }],
      createdAt: new Date("2026-11-27T19:00:00Z"),
    });
    expect(document).toEqual({
      schemaVersion: 1,
      source: { path: "voicemails/1001/v.wav", generation: "7", kind: "voicemail", extension: "1001" },
      audio,
      languageCode: "de-DE",
      engine: "speech-v2/telephony",
      text: "hallo welt",
      segments: [{ text: "hallo welt", startSeconds: 0.4, endSeconds: 1.2 }],
      createdAt: "2026-11-27T19:00:00.000Z",
    });
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(transcriptPlainText(document)).toBe("hallo welt\n");
  });

  it("leaves out what is not known (no generation, no extension)", () => {
    const document = buildTranscriptDocument({
      source: { path: "recordings/x.wav", kind: "recording", generation: undefined, extension: undefined },
      audio,
      languageCode: "en-US",
      engine: "pocketsphinx",
      text: "",
      segments: [],
      createdAt: new Date(0),
    });
    expect(Object.keys(document.source)).toEqual(["path", "kind"]);
    expect(transcriptPlainText(document)).toBe("\n");
  });
});
