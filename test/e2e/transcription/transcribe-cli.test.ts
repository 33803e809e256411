import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import { librivoxClip, wordsFound } from "../../support/speech-clips.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

/** `gw3cx transcribe` and the status's transcripts section, through the real `gw3cx` bin. */
describe("gw3cx transcribe PATH", () => {
  let sims: DemoSimulators;
  let dir: string;
  let storage: string;
  let env: NodeJS.ProcessEnv;
  const clip = librivoxClip("0930");

  beforeAll(async () => {
    sims = await startDemoSimulators();
    ({ dir, env } = cliSettingsFor(sims, "gw3cx-transcribe-cli-"));
    storage = join(dir, "storage");
    env.GW3CX_STORAGE_LOCAL_DIR = storage;
    mkdirSync(join(storage, "recordings", "1000"), { recursive: true });
  });

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("transcribes one object now, prints its words, and a second run does not recognize again", async () => {
    copyFileSync(clip.path, join(storage, "recordings/1000/call.wav"));
    const first = await runCli(["transcribe", "recordings/1000/call.wav"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^recordings\/1000\/call\.wav: transcribed \(en-US, pocketsphinx\) -> recordings\/1000\/call\.wav\.transcript\.json\n/,
    );
    expect(wordsFound(clip, first.stdout)).toBeGreaterThan(0.6);

    const again = await runCli(["transcribe", join(storage, "recordings/1000/call.wav"), "--json"], env);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({
      outcome: "exists",
      transcript: { source: { path: "recordings/1000/call.wav" } },
    });
    expect(result.transcript.text).toBe(
      readFileSync(join(storage, "recordings/1000/call.wav.transcript.txt"), "utf8").trim(),
    );
  });

  it("refuses what is not audio with the reason (exit 1), and a file outside the folder by name", async () => {
    writeFileSync(join(storage, "recordings/1000/notes.wav"), "just some notes");
    const refused = await runCli(["transcribe", "recordings/1000/notes.wav"], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("recordings/1000/notes.wav: not transcribed: not audio gw3cx reads");
    const outside = await runCli(["transcribe", clip.path], env);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain(
      `TRANSCRIBE_PATH_OUTSIDE_STORAGE: ${clip.path} is not in the storage folder`,
    );
  });

  it("status shows the transcripts: one done, one failed with its reason", async () => {
    const result = await runCli(["status", "--json"], env);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as Gw3cxStatus;
    const section = status.sections?.find((s) => s.id === "transcripts");
    expect(section?.summary).toBe("1 done, 1 failed, 0 pending");
    const text = await runCli(["status"], env);
    expect(text.stdout).toContain("Transcripts of recordings and voicemails");
    expect(text.stdout).toContain("recordings/1000/notes.wav: not audio gw3cx reads");
  });
});
