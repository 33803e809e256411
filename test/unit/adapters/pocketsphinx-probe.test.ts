import { describe, expect, it } from "vitest";
import { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";

describe("the local engine's probe (gw3cx doctor)", () => {
  it("finds ffmpeg, pocketsphinx and the en-US model installed by Debian's packages", async () => {
    await expect(new PocketsphinxTranscriber().probe()).resolves.toBeUndefined();
  });

  it("names the missing program and the packages to install", async () => {
    const probe = new PocketsphinxTranscriber({ pocketsphinxPath: "pocketsphinx-not-installed" }).probe();
    await expect(probe).rejects.toMatchObject({ code: "TRANSCRIBE_ENGINE_MISSING" });
    await expect(probe).rejects.toThrow(/pocketsphinx-not-installed.*pocketsphinx-en-us/);
  });

  it("names a missing model folder", async () => {
    const probe = new PocketsphinxTranscriber({ modelDir: "/nonexistent/model" }).probe();
    await expect(probe).rejects.toMatchObject({ code: "TRANSCRIBE_ENGINE_MISSING" });
    await expect(probe).rejects.toThrow("/nonexistent/model");
  });
});
