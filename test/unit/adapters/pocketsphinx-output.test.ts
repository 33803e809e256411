import { describe, expect, it } from "vitest";
import { PocketsphinxOutputParser } from "../../../shared/adapters/local/pocketsphinx-output.js";

function parse(output: string) {
  const parser = new PocketsphinxOutputParser();
  for (const line of output.split("\n")) parser.push(line);
  return parser.segments();
}

describe("pocketsphinx timed output", () => {
  it("makes one segment per utterance, without markers, fillers or pronunciation numbers", () => {
    const segments = parse(
      [
        "go forward",
        "<s> 0.000 0.210 0.998801",
        "go 0.220 0.430 0.5",
        "[NOISE] 0.440 0.500 0.9",
        "forward(2) 0.550 0.970 0.7",
        "</s> 0.980 1.020 1.000000",
        "ten meters",
        "<s> 2.000 2.100 1.0",
        "ten 2.110 2.400 0.9",
        "<sil> 2.400 2.500 0.9",
        "meters 2.510 3.000 0.6",
        "</s> 3.010 3.100 1.0",
      ].join("\n"),
    );
    expect(segments).toEqual([
      { text: "go forward", startSeconds: 0.22, endSeconds: 0.97, confidence: 0.6 },
      { text: "ten meters", startSeconds: 2.11, endSeconds: 3, confidence: 0.75 },
    ]);
  });

  it("keeps the words of an utterance the decoder did not close", () => {
    expect(parse("<s> 0.000 0.100 1.0\nhello 0.100 0.500 0.8")).toEqual([
      { text: "hello", startSeconds: 0.1, endSeconds: 0.5, confidence: 0.8 },
    ]);
  });

  it("gives no segment for an utterance of silence only", () => {
    expect(parse("<s> 0.000 0.100 1.0\n<sil> 0.100 2.000 1.0\n</s> 2.000 2.100 1.0")).toEqual([]);
  });
});
