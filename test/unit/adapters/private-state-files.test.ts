import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { writeLocalStackRecord } from "../../../shared/cli/local-stack-record.js";

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Writes something, so SQLite has a -wal and a -shm beside the database, and reports their modes. */
async function stateFileModes(dbPath: string): Promise<Record<string, number>> {
  const store = new SqliteStateStore(dbPath);
  try {
    await store.set("probe", "one", { value: 1 });
    return {
      db: modeOf(dbPath),
      wal: modeOf(`${dbPath}-wal`),
      shm: modeOf(`${dbPath}-shm`),
    };
  } finally {
    await store.close();
  }
}

describe("local state is private: directories 0700, files 0600", () => {
  const root = mkdtempSync(join(tmpdir(), "gw3cx-modes-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("a new .gw3cx directory, its SQLite file, WAL and shared memory", async () => {
    const dir = join(root, "fresh", ".gw3cx");
    const modes = await stateFileModes(join(dir, "state.db"));
    expect(modeOf(dir)).toBe(0o700);
    expect(modes).toEqual({ db: 0o600, wal: 0o600, shm: 0o600 });
  });

  it("an existing .gw3cx and state files with looser modes are tightened", async () => {
    const dir = join(root, "loose", ".gw3cx");
    const dbPath = join(dir, "state.db");
    await stateFileModes(dbPath);
    const store = new SqliteStateStore(dbPath);
    await store.set("probe", "two", { value: 2 });
    // Left by an older version: everything readable by everyone, WAL and shared memory included.
    chmodSync(dir, 0o755);
    for (const path of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) chmodSync(path, 0o644);
    await store.close();
    chmodSync(dbPath, 0o644);

    const modes = await stateFileModes(dbPath);
    expect(modeOf(dir)).toBe(0o700);
    expect(modes).toEqual({ db: 0o600, wal: 0o600, shm: 0o600 });
  });

  it("a directory someone chose (not .gw3cx) keeps its mode; the files in it are still private", async () => {
    const dir = join(root, "shared-data");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const modes = await stateFileModes(join(dir, "state.db"));
    expect(modeOf(dir)).toBe(0o755);
    expect(modes).toEqual({ db: 0o600, wal: 0o600, shm: 0o600 });
  });

  it("local.json and its new directory", () => {
    const dir = join(root, "record", ".gw3cx");
    const path = join(dir, "local.json");
    writeLocalStackRecord(path, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      statusUrl: "http://127.0.0.1:1/",
      webhookUrl: "http://127.0.0.1:1/directoryWebhook",
      settings: {},
    });
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path)).toBe(0o600);
  });
});
