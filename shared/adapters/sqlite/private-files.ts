import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { basename } from "node:path";

/**
 * Local state is private to the user running gw3cx: the SQLite file (and its WAL) holds a live
 * 3CX access token. Directories 0700, files 0600, whatever the umask, and tightened when they
 * already exist with looser modes.
 */
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/** The default state directory's name; an existing directory of that name is ours to tighten. */
const STATE_DIR_NAME = ".gw3cx";

/**
 * Creates the directory (and any missing parents) 0700. An existing directory is tightened only
 * when it is a `.gw3cx` directory: any other one (the project root, /tmp, a data directory) was
 * chosen by someone with `GW3CX_STATE_DB` and may be shared; the files in it are private anyway.
 */
export function ensurePrivateDirectory(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    chmodSync(dir, PRIVATE_DIR_MODE); // the umask may have taken bits away; make it exactly 0700
    return;
  }
  if (basename(dir) === STATE_DIR_NAME) tighten(dir, PRIVATE_DIR_MODE);
}

/** Creates the file empty with 0600 if it is missing, or tightens it to 0600 if it is looser. */
export function ensurePrivateFile(path: string): void {
  if (existsSync(path)) {
    tighten(path, PRIVATE_FILE_MODE);
    return;
  }
  // "a": creates without truncating, so a file created meanwhile by another process is kept.
  closeSync(openSync(path, "a", PRIVATE_FILE_MODE));
  tighten(path, PRIVATE_FILE_MODE);
}

/** Tightens a file that exists (SQLite's -wal and -shm come and go); a missing one is left missing. */
export function tightenIfPresent(path: string): void {
  if (existsSync(path)) tighten(path, PRIVATE_FILE_MODE);
}

function tighten(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}
