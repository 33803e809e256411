import type { DocumentReference, Firestore, Query } from "@google-cloud/firestore";
import {
  assertDataFields,
  assertDocumentPath,
  type DocumentData,
  type QueryOptions,
  type StateStore,
  StateStoreError,
  type StoredDocument,
  type UpdateOptions,
} from "../../ports/state-store.js";

/**
 * How a gw3cx document is laid out in Firestore: the payload's fields at the top level (so
 * queries filter on them directly) and the bookkeeping under reserved "__" names beside them.
 */
interface Bookkeeping {
  __version: number;
  __updatedAtMs: number;
}
type Envelope = DocumentData & Bookkeeping;

function envelope(data: DocumentData, version: number): Envelope {
  return { ...data, __version: version, __updatedAtMs: Date.now() };
}

const GRPC_ALREADY_EXISTS = 6;
const GRPC_UNAVAILABLE = 14;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

function toDocument<T extends DocumentData>(id: string, stored: Envelope): StoredDocument<T> {
  const { __version, __updatedAtMs, ...data } = stored;
  return { id, data: data as T, version: __version, updateTime: new Date(__updatedAtMs) };
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

function fieldPath(field: string): string {
  if (!FIELD.test(field))
    throw new StateStoreError("INVALID_ARGUMENT", `field ${JSON.stringify(field)} must match ${FIELD}`);
  return field;
}

/**
 * The cloud StateStore. Writes that depend on the current document (set, update) run in a
 * Firestore transaction, so compare-and-set holds under concurrent workers in production.
 * (The local emulator does not lock transactions: see test/contract/state-store.)
 */
export class FirestoreStateStore implements StateStore {
  constructor(
    private readonly firestore: Firestore,
    /** Collections live under this prefix, so several deployments can share a database. */
    private readonly prefix = "gw3cx_",
  ) {}

  private ref(collection: string, id: string): DocumentReference {
    assertDocumentPath(collection, id);
    return this.firestore.collection(`${this.prefix}${collection}`).doc(id);
  }

  private async guard<R>(operation: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof StateStoreError) throw error;
      const code = grpcCode(error);
      if (code === GRPC_UNAVAILABLE)
        throw new StateStoreError("UNAVAILABLE", `Firestore unavailable during ${operation}`, {
          cause: error,
        });
      throw error;
    }
  }

  async get<T extends DocumentData>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    const ref = this.ref(collection, id);
    return this.guard("get", async () => {
      const snapshot = await ref.get();
      return snapshot.exists ? toDocument<T>(id, snapshot.data() as Envelope) : undefined;
    });
  }

  async create<T extends DocumentData>(collection: string, id: string, data: T): Promise<StoredDocument<T>> {
    const ref = this.ref(collection, id);
    assertDataFields(data);
    const stored = envelope(data, 1);
    return this.guard("create", async () => {
      try {
        await ref.create(stored);
      } catch (error) {
        if (grpcCode(error) === GRPC_ALREADY_EXISTS) {
          throw new StateStoreError("ALREADY_EXISTS", `${collection}/${id} already exists`, {
            cause: error,
            details: { collection, id },
          });
        }
        throw error;
      }
      return toDocument<T>(id, stored);
    });
  }

  async set<T extends DocumentData>(collection: string, id: string, data: T): Promise<StoredDocument<T>> {
    const ref = this.ref(collection, id);
    assertDataFields(data);
    return this.guard("set", () =>
      this.firestore.runTransaction(async (tx) => {
        const current = await tx.get(ref);
        const stored = envelope(data, current.exists ? (current.data() as Envelope).__version + 1 : 1);
        tx.set(ref, stored);
        return toDocument<T>(id, stored);
      }),
    );
  }

  async update<T extends DocumentData>(
    collection: string,
    id: string,
    fields: Partial<T>,
    options: UpdateOptions = {},
  ): Promise<StoredDocument<T>> {
    const ref = this.ref(collection, id);
    assertDataFields(fields);
    return this.guard("update", () =>
      this.firestore.runTransaction(async (tx) => {
        const current = await tx.get(ref);
        if (!current.exists)
          throw new StateStoreError("NOT_FOUND", `${collection}/${id} does not exist`, {
            details: { collection, id },
          });
        const previous = toDocument(id, current.data() as Envelope);
        if (options.expectedVersion !== undefined && previous.version !== options.expectedVersion) {
          throw new StateStoreError(
            "VERSION_CONFLICT",
            `${collection}/${id} is at version ${previous.version}, expected ${options.expectedVersion}`,
            { details: { collection, id, expected: options.expectedVersion, actual: previous.version } },
          );
        }
        // The whole document is rewritten (not field-patched): removing a key needs no FieldValue.delete().
        const stored = envelope({ ...previous.data, ...fields }, previous.version + 1);
        tx.set(ref, stored);
        return toDocument<T>(id, stored);
      }),
    );
  }

  async delete(collection: string, id: string, options: UpdateOptions = {}): Promise<boolean> {
    const ref = this.ref(collection, id);
    return this.guard("delete", () =>
      this.firestore.runTransaction(async (tx) => {
        const current = await tx.get(ref);
        if (!current.exists) return false;
        const version = (current.data() as Envelope).__version;
        if (options.expectedVersion !== undefined && version !== options.expectedVersion) {
          throw new StateStoreError(
            "VERSION_CONFLICT",
            `${collection}/${id} is at version ${version}, expected ${options.expectedVersion}`,
            { details: { collection, id, expected: options.expectedVersion, actual: version } },
          );
        }
        tx.delete(ref);
        return true;
      }),
    );
  }

  async query<T extends DocumentData>(
    collection: string,
    options: QueryOptions = {},
  ): Promise<StoredDocument<T>[]> {
    assertDocumentPath(collection, "query");
    let query: Query = this.firestore.collection(`${this.prefix}${collection}`);
    for (const [field, op, value] of options.where ?? []) query = query.where(fieldPath(field), op, value);
    if (options.orderBy)
      query = query.orderBy(fieldPath(options.orderBy.field), options.orderBy.direction ?? "asc");
    if (options.limit !== undefined) query = query.limit(options.limit);
    return this.guard("query", async () => {
      const snapshot = await query.get();
      const documents = snapshot.docs.map((doc) => toDocument<T>(doc.id, doc.data() as Envelope));
      // Firestore orders ties (and unordered results) by document id; do the same explicitly.
      if (!options.orderBy) documents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return documents;
    });
  }

  async close(): Promise<void> {
    await this.firestore.terminate();
  }
}
