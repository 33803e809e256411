import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensurePrivateDirectory } from "../adapters/sqlite/private-files.js";
import { SECRET_SETTING_PATHS, type Settings } from "../config/schema.js";
import { describeSecretRef, type SecretRef } from "../config/secret-ref.js";

/**
 * What a running `npm start` leaves beside its state so that `gw3cx plan | sync | status` in a
 * second terminal can reach the same simulators and state. It holds settings with secret
 * *references* only (env:NAME); the values never touch the disk.
 */
export interface LocalStackRecord {
  pid: number;
  startedAt: string;
  statusUrl: string;
  webhookUrl: string;
  /** Present when the bundled simulators run (no real tenant configured). */
  simulators?: { googleUrl: string; threecxUrl: string };
  /** Settings in their file form, as loadSettings takes them. */
  settings: Record<string, unknown>;
}

/** Beside the state file: `.gw3cx/local.json` with the default `.gw3cx/state.db`. */
export function localStackRecordPath(settings: Settings): string {
  return join(dirname(settings.embedded.stateDbPath), "local.json");
}

/** Settings back in their input form: secret references as the `env:NAME` text they were written as. */
export function settingsToRecord(settings: Settings): Record<string, unknown> {
  const tree = JSON.parse(JSON.stringify(settings)) as Record<string, Record<string, unknown>>;
  for (const path of SECRET_SETTING_PATHS) {
    const [section, key] = path.split(".") as [string, string];
    const ref = (settings as unknown as Record<string, Record<string, SecretRef | undefined>>)[section]?.[
      key
    ];
    if (ref && tree[section]) tree[section][key] = describeSecretRef(ref);
  }
  return tree;
}

export function writeLocalStackRecord(path: string, record: LocalStackRecord): void {
  ensurePrivateDirectory(dirname(path));
  // Written whole then renamed, so a reader never sees half a file; 0600 from its creation on.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

export type LocalStackLookup =
  | { found: true; record: LocalStackRecord }
  | { found: false; stalePid?: number };

/** The record of a stack that is still running; a record whose process is gone counts as absent. */
export function readLocalStackRecord(path: string): LocalStackLookup {
  let record: LocalStackRecord;
  try {
    record = JSON.parse(readFileSync(path, "utf8")) as LocalStackRecord;
  } catch {
    return { found: false };
  }
  return isRunning(record.pid) ? { found: true, record } : { found: false, stalePid: record.pid };
}

/** Removes the record, but only the one this process wrote (a newer stack may have replaced it). */
export function removeLocalStackRecord(path: string, pid = process.pid): void {
  const lookup = readLocalStackRecord(path);
  if (lookup.found && lookup.record.pid !== pid) return;
  rmSync(path, { force: true });
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
