import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { RunningStandIn } from "../standins/process.js";
import { startSpeechStandIn } from "../standins/speech.js";

/**
 * The Speech stand-in serving gs://audio/... from a temp folder (until tests go through the Cloud
 * Storage stand-in): `place` copies a local file there and returns its gs:// URI.
 */
export async function startSpeechHarness(): Promise<{
  standIn: RunningStandIn;
  place: (localPath: string) => Promise<string>;
  calls: () => Promise<{ method: string; status: string; audio: string[] }[]>;
  stop: () => Promise<void>;
}> {
  const folder = await mkdtemp(join(tmpdir(), "gw3cx-speech-objects-"));
  const standIn = await startSpeechStandIn({ objectsFolder: folder });
  let placed = 0;
  return {
    standIn,
    async place(localPath) {
      const name = `recordings/${++placed}-${basename(localPath)}`;
      await mkdir(join(folder, "audio", "recordings"), { recursive: true });
      await copyFile(localPath, join(folder, "audio", name));
      return `gs://audio/${name}`;
    },
    async calls() {
      const response = await fetch(`http://${standIn.admin}/calls`);
      return ((await response.json()) as { calls: { method: string; status: string; audio: string[] }[] })
        .calls;
    },
    async stop() {
      await standIn.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
