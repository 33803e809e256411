import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type FinishedFile,
  StorageFolderWatcher,
} from "../../../shared/adapters/local/storage-folder-watcher.js";

function folder() {
  const root = mkdtempSync(join(tmpdir(), "gw3cx-watch-"));
  mkdirSync(join(root, "recordings", "1001"), { recursive: true });
  mkdirSync(join(root, "voicemails", "1002"), { recursive: true });
  let now = 0;
  const found: FinishedFile[] = [];
  const watcher = new StorageFolderWatcher(
    root,
    async (file) => {
      found.push(file);
    },
    { settleMs: 2000, now: () => now },
  );
  return {
    root,
    found,
    /** One scan after `ms` more of the watcher's time. */
    async after(ms: number) {
      now += ms;
      await watcher.scan();
      return found.map((f) => f.path);
    },
  };
}

describe("the local storage folder watcher", () => {
  it("announces a file under recordings/ or voicemails/ once it has stopped changing", async () => {
    const w = folder();
    writeFileSync(join(w.root, "recordings/1001/a.wav"), "RIFF");
    writeFileSync(join(w.root, "voicemails/1002/v.wav"), "RIFF");
    expect(await w.after(0)).toEqual([]);
    expect(await w.after(1000)).toEqual([]);
    expect((await w.after(1000)).sort()).toEqual(["recordings/1001/a.wav", "voicemails/1002/v.wav"]);
    expect(w.found[0]?.generation).toMatch(/^[0-9]+$/);
    expect(await w.after(5000)).toHaveLength(2);
  });

  it("waits while a file grows, and takes it once it settles", async () => {
    const w = folder();
    const file = join(w.root, "recordings/1001/long.wav");
    writeFileSync(file, "RIFF");
    await w.after(0);
    appendFileSync(file, "more");
    expect(await w.after(1500)).toEqual([]);
    appendFileSync(file, "more still");
    expect(await w.after(1500)).toEqual([]);
    expect(await w.after(1500)).toEqual([]);
    expect(await w.after(1000)).toEqual(["recordings/1001/long.wav"]);
    expect(w.found[0]?.size).toBe(18);
  });

  it("never takes hidden or partial names, transcripts, or files outside the two folders; a rename counts", async () => {
    const w = folder();
    writeFileSync(join(w.root, "recordings/1001/.a.wav"), "x");
    writeFileSync(join(w.root, "recordings/1001/b.wav.part"), "x");
    writeFileSync(join(w.root, "recordings/1001/c.wav.transcript.json"), "{}");
    mkdirSync(join(w.root, "chats"));
    writeFileSync(join(w.root, "chats/d.wav"), "x");
    await w.after(0);
    expect(await w.after(3000)).toEqual([]);
    renameSync(join(w.root, "recordings/1001/b.wav.part"), join(w.root, "recordings/1001/b.wav"));
    await w.after(0);
    expect(await w.after(2000)).toEqual(["recordings/1001/b.wav"]);
  });

  it("announces a file again when it is replaced by a new version, and forgets deleted files", async () => {
    const w = folder();
    const file = join(w.root, "voicemails/1002/v.wav");
    writeFileSync(file, "one");
    await w.after(0);
    await w.after(2000);
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    await w.after(0);
    await w.after(2000);
    expect(w.found.map((f) => f.path)).toEqual(["voicemails/1002/v.wav", "voicemails/1002/v.wav"]);
    expect(w.found[0]?.generation).not.toBe(w.found[1]?.generation);
    rmSync(file);
    expect(await w.after(2000)).toHaveLength(2);
  });

  it("sees nothing, and fails nothing, when the folders do not exist", async () => {
    const root = mkdtempSync(join(tmpdir(), "gw3cx-watch-"));
    const watcher = new StorageFolderWatcher(join(root, "missing"), async () => {
      throw new Error("nothing should be announced");
    });
    await expect(watcher.scan()).resolves.toBeUndefined();
  });
});
