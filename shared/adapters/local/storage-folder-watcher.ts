import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { ARCHIVE_FOLDERS, isTranscriptPath } from "../../domain/transcription/archive-layout.js";
import type { Logger } from "../../logging/logger.js";
import { SIDECAR_SUFFIX } from "./local-folder-object-storage.js";

/** A file in the storage folder that has stopped changing. */
export interface FinishedFile {
  /** Relative to the storage folder, with "/" (the object's name in a bucket). */
  path: string;
  size: number;
  mtime: Date;
  /** Stands for Cloud Storage's generation: the modification time in microseconds. */
  generation: string;
}

export interface StorageFolderWatcherOptions {
  /** How often the folders are scanned (default 1 s). */
  intervalMs?: number;
  /** How long a file's size and modification time must stay the same before it counts as finished (default 2 s). */
  settleMs?: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * Announces each finished file under recordings/ and voicemails/ of the local storage folder once,
 * as Cloud Storage announces a finalized object. A file still being written is not taken: a file
 * counts as finished once its size and modification time have not changed for `settleMs`, and
 * names that say "not yet" are never taken: hidden files (".x.wav", what rsync and many copiers
 * write before renaming) and "*.part", "*.partial", "*.tmp", "*.crdownload". A writer that wants
 * to be certain writes such a name and renames it when done. Transcripts, and the folder
 * storage's own metadata files beside objects, are not announced.
 *
 * It scans rather than relying on fs.watch, whose recursive form and event delivery vary by file
 * system (network shares and bind mounts report nothing); a scan of a few thousand names a second
 * costs little. Every existing file is announced after a start too: the handler skips what is done.
 */
export class StorageFolderWatcher {
  /** Files seen but not yet finished: their last size and mtime and since when they were so. */
  private readonly settling = new Map<string, { size: number; mtimeMs: number; since: number }>();
  /** path -> the generation last announced. */
  private readonly announced = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private closed = false;
  /** Scans run one after another, so a scan asked for during another never announces a file twice. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly root: string,
    private readonly onFinished: (file: FinishedFile) => Promise<void>,
    private readonly options: StorageFolderWatcherOptions = {},
  ) {}

  start(): void {
    const tick = () => {
      if (this.closed) return;
      this.scanning = this.scan()
        .catch((error: unknown) =>
          this.options.logger?.event("recordingWatcherFailed", { root: this.root, error }),
        )
        .finally(() => {
          if (!this.closed) this.timer = setTimeout(tick, this.options.intervalMs ?? 1000);
        });
    };
    tick();
  }

  /** One pass: announces what has settled since the last one (also called by tests and the CLI). */
  scan(): Promise<void> {
    const run = this.queue.then(() => this.scanOnce());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async scanOnce(): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    const settleMs = this.options.settleMs ?? 2000;
    const present = new Set<string>();
    for (const folder of Object.values(ARCHIVE_FOLDERS)) {
      for (const file of await listFiles(join(this.root, folder))) {
        const path = relative(this.root, file).split(sep).join("/");
        if (isTranscriptPath(path) || isUnfinishedName(path) || path.endsWith(SIDECAR_SUFFIX)) continue;
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) continue;
        present.add(path);
        const generation = String(Math.round(info.mtimeMs * 1000));
        if (this.announced.get(path) === generation) continue;
        const seen = this.settling.get(path);
        if (!seen || seen.size !== info.size || seen.mtimeMs !== info.mtimeMs) {
          this.settling.set(path, { size: info.size, mtimeMs: info.mtimeMs, since: now });
          continue;
        }
        if (now - seen.since < settleMs) continue;
        this.settling.delete(path);
        await this.onFinished({ path, size: info.size, mtime: info.mtime, generation });
        this.announced.set(path, generation);
      }
    }
    for (const path of [...this.settling.keys(), ...this.announced.keys()]) {
      if (!present.has(path)) {
        this.settling.delete(path);
        this.announced.delete(path);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.scanning;
  }
}

const UNFINISHED_SUFFIXES = [".part", ".partial", ".tmp", ".crdownload"];

function isUnfinishedName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.startsWith(".") || UNFINISHED_SUFFIXES.some((suffix) => name.toLowerCase().endsWith(suffix));
}

async function listFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
