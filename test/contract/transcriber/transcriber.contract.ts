import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGw3cxError } from "../../../shared/errors.js";
import type { Transcriber } from "../../../shared/ports/transcriber.js";
import { encodeWithFfmpeg, librivoxClip, wordsFound } from "../../support/speech-clips.js";

export interface TranscriberUnderTest {
  name: string;
  transcriber: () => Transcriber;
  /** Puts a local audio file where the transcriber reads from and returns its audioUri. */
  place: (localPath: string) => Promise<string>;
}

async function codeAndMessage(promise: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  return promise.then(
    () => ({ code: "no error", message: "" }),
    (e: unknown) => ({
      code: isGw3cxError(e) ? e.code : e,
      message: e instanceof Error ? e.message : String(e),
    }),
  );
}

/** What every Transcriber must do with the same audio: the local engine and Speech alike. */
export function describeTranscriberContract(subject: TranscriberUnderTest): void {
  describe(`Transcriber contract: ${subject.name}`, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "gw3cx-transcriber-contract-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("hears the words of real speech, in timed segments", async () => {
      const clip = librivoxClip("0920");
      const transcript = await subject
        .transcriber()
        .transcribe({ audioUri: await subject.place(clip.path), languageCode: "en-US" });
      expect(transcript.languageCode.toLowerCase()).toBe("en-us");
      expect(wordsFound(clip, transcript.text), transcript.text).toBeGreaterThan(0.7);
      expect(transcript.segments.length).toBeGreaterThan(0);
      let previousEnd = 0;
      for (const segment of transcript.segments) {
        expect(segment.startSeconds).toBeGreaterThanOrEqual(previousEnd - 0.001);
        expect(segment.endSeconds).toBeGreaterThan(segment.startSeconds);
        previousEnd = segment.endSeconds;
      }
      expect(previousEnd).toBeLessThanOrEqual(7); // the clip lasts about 6 s
      expect(transcript.segments.map((s) => s.text).join(" ")).toBe(transcript.text);
    });

    it("gives an empty transcript for silence, not an error", async () => {
      const silence = join(dir, "silence.wav");
      encodeWithFfmpeg("anullsrc=r=16000:cl=mono", silence, ["-t", "3", "-c:a", "pcm_s16le"]);
      const transcript = await subject
        .transcriber()
        .transcribe({ audioUri: await subject.place(silence), languageCode: "en-US" });
      expect(transcript.text).toBe("");
      expect(transcript.segments).toEqual([]);
    });

    it("refuses a file that is not audio with TRANSCRIBE_UNSUPPORTED_AUDIO and a reason", async () => {
      const notAudio = join(dir, "not-audio.wav");
      await writeFile(notAudio, "this is a text file, not a recording\n".repeat(50));
      const failure = await codeAndMessage(
        subject.transcriber().transcribe({ audioUri: await subject.place(notAudio), languageCode: "en-US" }),
      );
      expect(failure.code).toBe("TRANSCRIBE_UNSUPPORTED_AUDIO");
      expect(failure.message.length).toBeGreaterThan(20);
    });
  });
}
