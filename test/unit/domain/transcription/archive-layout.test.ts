import { describe, expect, it } from "vitest";
import {
  classifyArchiveObject,
  transcriptPathsOf,
} from "../../../../shared/domain/transcription/archive-layout.js";

describe("which archive objects are transcribed", () => {
  it("takes recordings and voicemails, with the extension from 3CX's per-extension folder", () => {
    expect(
      classifyArchiveObject("recordings/1001/[Jane Doe]_1001-0123456789_20240501101500(42).wav"),
    ).toEqual({
      transcribe: true,
      path: "recordings/1001/[Jane Doe]_1001-0123456789_20240501101500(42).wav",
      kind: "recording",
      extension: "1001",
    });
    expect(classifyArchiveObject("voicemails/205/vmail_0123456789_20240501101500.wav")).toMatchObject({
      transcribe: true,
      kind: "voicemail",
      extension: "205",
    });
  });

  it("finds the extension folder below other folders, and in a recording's 3CX name when there is no folder", () => {
    expect(classifyArchiveObject("recordings/Instance1/2024/1044/call.wav")).toMatchObject({
      extension: "1044",
    });
    expect(classifyArchiveObject("recordings/[Bob]_1077-200_20240501101500(7).wav")).toMatchObject({
      extension: "1077",
    });
  });

  it("has no extension when neither the folders nor the name carry one (a voicemail's name is not guessed at)", () => {
    const object = classifyArchiveObject("voicemails/[Bob]_1077-200_x.wav");
    expect(object).toMatchObject({ transcribe: true, kind: "voicemail" });
    expect(object).not.toHaveProperty("extension");
  });

  it("does not look at the name's ending: audio is recognised by its bytes", () => {
    expect(classifyArchiveObject("recordings/1001/recording.bin")).toMatchObject({ transcribe: true });
    expect(classifyArchiveObject("recordings/1001/notes.txt")).toMatchObject({ transcribe: true });
  });

  it("never transcribes transcripts, folder markers or objects outside the two folders", () => {
    expect(classifyArchiveObject("recordings/1001/a.wav.transcript.json")).toMatchObject({
      transcribe: false,
      reason: "a transcript",
    });
    expect(classifyArchiveObject("voicemails/1001/a.wav.transcript.txt")).toMatchObject({
      transcribe: false,
    });
    expect(classifyArchiveObject("recordings/1001/")).toMatchObject({ transcribe: false });
    expect(classifyArchiveObject("chats/1001/a.wav")).toMatchObject({
      transcribe: false,
      reason: "not under recordings/ or voicemails/",
    });
    expect(classifyArchiveObject("recordings")).toMatchObject({ transcribe: false });
    expect(classifyArchiveObject("backups/recordings/1001/a.wav")).toMatchObject({ transcribe: false });
  });

  it("puts both transcripts beside the audio, keeping its full name", () => {
    expect(transcriptPathsOf("voicemails/1001/a.wav")).toEqual({
      json: "voicemails/1001/a.wav.transcript.json",
      text: "voicemails/1001/a.wav.transcript.txt",
    });
    expect(transcriptPathsOf("x/a.mp3").json).not.toBe(transcriptPathsOf("x/a.wav").json);
  });
});
