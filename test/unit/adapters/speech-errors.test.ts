import { describe, expect, it } from "vitest";
import { transcriberErrorOf } from "../../../shared/adapters/speech/speech-errors.js";
import { segmentsOf } from "../../../shared/adapters/speech/speech-results.js";

describe("Speech failures as TranscriberError", () => {
  const uri = "gs://b/recordings/a.wav";
  it.each([
    [8, "Quota exceeded for quota metric 'Requests'", "TRANSCRIBE_QUOTA"],
    [3, "Audio data does not appear to be in a supported encoding.", "TRANSCRIBE_UNSUPPORTED_AUDIO"],
    [3, 'The model "nope" does not exist.', "TRANSCRIBE_FAILED"],
    [14, "connection reset", "TRANSCRIBE_FAILED"],
    [undefined, "socket hang up", "TRANSCRIBE_FAILED"],
  ])("gRPC %s %s -> %s, with the cause and the object", (code, details, expected) => {
    const cause = Object.assign(new Error(`${code} ${details}`), { code, details });
    const error = transcriberErrorOf(cause, uri, "recognize");
    expect(error.code).toBe(expected);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain(uri);
    expect(error.message).toContain(details);
  });
});

describe("Speech results as segments", () => {
  it("starts a segment at its first word, else where the previous one ended, and skips empty results", () => {
    const segments = segmentsOf([
      {
        alternatives: [
          {
            transcript: " hello there ",
            confidence: 0.91,
            words: [{ startOffset: { seconds: "1", nanos: 500_000_000 } }],
          },
        ],
        resultEndOffset: { seconds: "3" },
      },
      { alternatives: [{ transcript: "" }], resultEndOffset: { seconds: 5 } },
      { alternatives: [{ transcript: "goodbye" }], resultEndOffset: { seconds: 8, nanos: 250_000_000 } },
    ]);
    expect(segments).toEqual([
      { text: "hello there", startSeconds: 1.5, endSeconds: 3, confidence: 0.91 },
      { text: "goodbye", startSeconds: 5, endSeconds: 8.25 },
    ]);
  });
});
