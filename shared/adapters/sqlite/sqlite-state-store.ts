import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  assertDataFields,
  assertDocumentPath,
  type DocumentData,
  type FilterValue,
  type QueryOptions,
  type StateStore,
  StateStoreError,
  type StoredDocument,
  type UpdateOptions,
} from "../../ports/state-store.js";
import { ensurePrivateDirectory, ensurePrivateFile, tightenIfPresent } from "./private-files.js";

interface Row {
  id: string;
  data: string;
  version: number;
  update_time: number;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Distinct query shapes kept prepared; further ones are prepared per call. */
const MAX_CACHED_QUERIES = 64;
/**
 * Rows a query reads before it lets the event loop run. better-sqlite3 blocks while it reads: a
 * 10,000-document collection read at once would hold up every network answer waiting behind it.
 */
const ROWS_PER_TURN = 1000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function toDocument<T extends DocumentData>(row: Row): StoredDocument<T> {
  return {
    id: row.id,
    data: JSON.parse(row.data) as T,
    version: row.version,
    updateTime: new Date(row.update_time),
  };
}

/** SQLite stores booleans from JSON as 1/0; bind parameters the same way. */
function bindable(value: FilterValue): string | number | null {
  return typeof value === "boolean" ? (value ? 1 : 0) : value;
}

function fieldPath(field: string): string {
  if (!FIELD.test(field))
    throw new StateStoreError("INVALID_ARGUMENT", `field ${JSON.stringify(field)} must match ${FIELD}`);
  return `$.${field}`;
}

/**
 * The embedded StateStore of the single-machine default: one SQLite file, one table of JSON
 * documents. better-sqlite3 is synchronous, so every call is atomic within this process, and
 * compare-and-set (expectedVersion) is a single conditional UPDATE.
 */
export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  /** Statements prepared once and reused: preparing costs more than running a point read or write. */
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();
  private readonly selectOne: Database.Statement<[string, string], Row>;
  private readonly insertIfAbsent: Database.Statement<[string, string, string, number]>;
  private readonly upsert: Database.Statement<[string, string, string, number], Row>;
  private readonly updateRow: Database.Statement<[string, number, number, string, string]>;
  private readonly deleteRow: Database.Statement<[string, string]>;
  private readonly deleteVersion: Database.Statement<[string, string, number]>;
  private readonly applyUpdate: (
    collection: string,
    id: string,
    fields: DocumentData,
    expectedVersion: number | undefined,
  ) => Row;

  constructor(path: string) {
    if (path !== ":memory:") {
      // Private before SQLite opens it: SQLite gives the -wal and -shm files the database file's mode.
      ensurePrivateDirectory(dirname(path));
      ensurePrivateFile(path);
      for (const suffix of ["-wal", "-shm"]) tightenIfPresent(`${path}${suffix}`);
    }
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // WAL + NORMAL: a commit is not fsynced on its own (checkpoints are), so a power cut can lose
    // the last few commits but never corrupts the file. Everything here can be rebuilt from Google
    // and 3CX (links are found again by email), and a per-write fsync would cost more than the write.
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(`CREATE TABLE IF NOT EXISTS documents (
      collection TEXT NOT NULL,
      id TEXT NOT NULL,
      data TEXT NOT NULL,
      version INTEGER NOT NULL,
      update_time INTEGER NOT NULL,
      PRIMARY KEY (collection, id)
    ) WITHOUT ROWID`);
    this.selectOne = this.db.prepare<[string, string], Row>(
      "SELECT id, data, version, update_time FROM documents WHERE collection = ? AND id = ?",
    );
    this.insertIfAbsent = this.db.prepare<[string, string, string, number]>(
      "INSERT OR IGNORE INTO documents (collection, id, data, version, update_time) VALUES (?, ?, ?, 1, ?)",
    );
    this.upsert = this.db.prepare<[string, string, string, number], Row>(
      `INSERT INTO documents (collection, id, data, version, update_time) VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data, version = version + 1, update_time = excluded.update_time
       RETURNING id, data, version, update_time`,
    );
    this.updateRow = this.db.prepare<[string, number, number, string, string]>(
      "UPDATE documents SET data = ?, version = ?, update_time = ? WHERE collection = ? AND id = ?",
    );
    this.deleteRow = this.db.prepare<[string, string]>(
      "DELETE FROM documents WHERE collection = ? AND id = ?",
    );
    this.deleteVersion = this.db.prepare<[string, string, number]>(
      "DELETE FROM documents WHERE collection = ? AND id = ? AND version = ?",
    );
    // better-sqlite3 is synchronous: read, check and write run as one transaction, uninterrupted.
    this.applyUpdate = this.db.transaction(
      (collection: string, id: string, fields: DocumentData, expectedVersion: number | undefined): Row => {
        const current = this.selectOne.get(collection, id);
        if (!current)
          throw new StateStoreError("NOT_FOUND", `${collection}/${id} does not exist`, {
            details: { collection, id },
          });
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw new StateStoreError(
            "VERSION_CONFLICT",
            `${collection}/${id} is at version ${current.version}, expected ${expectedVersion}`,
            { details: { collection, id, expected: expectedVersion, actual: current.version } },
          );
        }
        const next: Row = {
          id,
          data: JSON.stringify({ ...(JSON.parse(current.data) as DocumentData), ...fields }),
          version: current.version + 1,
          update_time: Date.now(),
        };
        this.updateRow.run(next.data, next.version, next.update_time, collection, id);
        return next;
      },
    );
  }

  /** A query statement, prepared on first use; query shapes are few (one per call site), so the cache stays small. */
  private statement(sql: string): Database.Statement<unknown[], unknown> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size < MAX_CACHED_QUERIES) this.statements.set(sql, statement);
    }
    return statement;
  }

  async get<T extends DocumentData>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    assertDocumentPath(collection, id);
    const row = this.selectOne.get(collection, id);
    return row ? toDocument<T>(row) : undefined;
  }

  async create<T extends DocumentData>(collection: string, id: string, data: T): Promise<StoredDocument<T>> {
    assertDocumentPath(collection, id);
    assertDataFields(data);
    const now = Date.now();
    const result = this.insertIfAbsent.run(collection, id, JSON.stringify(data), now);
    if (result.changes === 0) {
      throw new StateStoreError("ALREADY_EXISTS", `${collection}/${id} already exists`, {
        details: { collection, id },
      });
    }
    return { id, data: structuredClone(data), version: 1, updateTime: new Date(now) };
  }

  async set<T extends DocumentData>(collection: string, id: string, data: T): Promise<StoredDocument<T>> {
    assertDocumentPath(collection, id);
    assertDataFields(data);
    const row = this.upsert.get(collection, id, JSON.stringify(data), Date.now());
    return toDocument<T>(row as Row);
  }

  async update<T extends DocumentData>(
    collection: string,
    id: string,
    fields: Partial<T>,
    options: UpdateOptions = {},
  ): Promise<StoredDocument<T>> {
    assertDocumentPath(collection, id);
    assertDataFields(fields);
    return toDocument<T>(this.applyUpdate(collection, id, fields as DocumentData, options.expectedVersion));
  }

  async delete(collection: string, id: string, options: UpdateOptions = {}): Promise<boolean> {
    assertDocumentPath(collection, id);
    const expected = options.expectedVersion;
    if (expected === undefined) return this.deleteRow.run(collection, id).changes > 0;
    // One conditional statement in the common case; only a miss needs a look at why.
    if (this.deleteVersion.run(collection, id, expected).changes > 0) return true;
    const current = this.selectOne.get(collection, id);
    if (!current) return false;
    throw new StateStoreError(
      "VERSION_CONFLICT",
      `${collection}/${id} is at version ${current.version}, expected ${expected}`,
      { details: { collection, id, expected, actual: current.version } },
    );
  }

  async query<T extends DocumentData>(
    collection: string,
    options: QueryOptions = {},
  ): Promise<StoredDocument<T>[]> {
    assertDocumentPath(collection, "query");
    const clauses = ["collection = ?"];
    const params: (string | number | null)[] = [collection];
    for (const [field, , value] of options.where ?? []) {
      if (value === null) {
        clauses.push("json_type(data, ?) = 'null'");
        params.push(fieldPath(field));
      } else {
        clauses.push("json_extract(data, ?) = ?");
        params.push(fieldPath(field), bindable(value));
      }
    }
    const select = `SELECT id, data, version, update_time FROM documents WHERE ${clauses.join(" AND ")}`;
    if (options.orderBy) {
      const direction = options.orderBy.direction === "desc" ? "DESC" : "ASC";
      let sql = `${select} ORDER BY json_extract(data, ?) ${direction}, id`;
      params.push(fieldPath(options.orderBy.field));
      if (options.limit !== undefined) {
        sql += " LIMIT ?";
        params.push(options.limit);
      }
      return this.rows<T>(sql, params);
    }
    return this.rowsById<T>(select, params, options.limit);
  }

  private rows<T extends DocumentData>(sql: string, params: unknown[]): StoredDocument<T>[] {
    return (this.statement(sql).all(...params) as Row[]).map((row) => toDocument<T>(row));
  }

  /**
   * Documents in id order, read ROWS_PER_TURN at a time (keyed on the last id read) with a turn of
   * the event loop in between. Like a Firestore query that streams, each document is read whole and
   * consistent; a write landing between two slices shows in the later slice or not at all.
   */
  private async rowsById<T extends DocumentData>(
    select: string,
    params: unknown[],
    limit: number | undefined,
  ): Promise<StoredDocument<T>[]> {
    const first = `${select} ORDER BY id LIMIT ?`;
    const after = `${select} AND id > ? ORDER BY id LIMIT ?`;
    const out: StoredDocument<T>[] = [];
    for (;;) {
      const want = Math.min(ROWS_PER_TURN, (limit ?? Number.POSITIVE_INFINITY) - out.length);
      const last = out.at(-1);
      const slice = last
        ? this.rows<T>(after, [...params, last.id, want])
        : this.rows<T>(first, [...params, want]);
      out.push(...slice);
      if (slice.length < want || out.length === limit) return out;
      await nextTurn();
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
