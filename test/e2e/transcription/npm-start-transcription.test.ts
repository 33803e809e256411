import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderWhereToLook } from "../../../shared/cli/render/where-to-look.js";
import { type LocalStack, startLocal } from "../../../shared/cli/start-local.js";
import { capturedLogger } from "../../support/captured-logger.js";
import { librivoxClip, wordsFound } from "../../support/speech-clips.js";

/** `npm start` itself: the demo settings turn transcription on, and a dropped voicemail is transcribed. */
describe("transcription under npm start", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-start-transcription-"));
  const storage = join(dir, "storage");
  let stack: LocalStack | undefined;
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("watches storage.localDir and writes the transcript beside a dropped voicemail", async () => {
    const { logger } = capturedLogger("npm-start-transcription", "info");
    stack = await startLocal({
      env: { ...process.env, GW3CX_STATE_DB: join(dir, "state.db"), GW3CX_STORAGE_LOCAL_DIR: storage },
      logger,
    });
    expect(stack.transcription?.root).toBe(storage);
    expect(renderWhereToLook(stack)).toContain(`${storage}/recordings/EXT/`);

    const clip = librivoxClip("0870");
    mkdirSync(join(storage, "voicemails", "1000"), { recursive: true });
    copyFileSync(clip.path, join(storage, "voicemails/1000/vmail.wav"));
    const transcript = join(storage, "voicemails/1000/vmail.wav.transcript.txt");
    const until = Date.now() + 90_000;
    let text: string | undefined;
    while (!text && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        text = readFileSync(transcript, "utf8");
      } catch {}
    }
    expect(text && wordsFound(clip, text)).toBeGreaterThan(0.5);
  }, 150_000);
});
