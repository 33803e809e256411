import { Gw3cxError } from "../errors.js";

/** A JSON document: what the store keeps. Values must survive JSON round trips. */
export type DocumentData = Record<string, unknown>;

export interface StoredDocument<T extends DocumentData = DocumentData> {
  id: string;
  data: T;
  /** Starts at 1 on create and grows by one on every write: the token for compare-and-set. */
  version: number;
  updateTime: Date;
}

export type FilterValue = string | number | boolean | null;

export interface QueryOptions {
  /** Equality filters on top-level fields, all of which must hold. */
  where?: ReadonlyArray<readonly [field: string, op: "==", value: FilterValue]>;
  orderBy?: { field: string; direction?: "asc" | "desc" };
  limit?: number;
}

export interface UpdateOptions {
  /** Write only if the document is still at this version (optimistic concurrency). */
  expectedVersion?: number;
}

/**
 * Durable state of gw3cx: links, runs, channels, sync tokens, presence overrides.
 * Documents live in named collections and are written as a whole or by top-level merge.
 */
export interface StateStore {
  get<T extends DocumentData>(collection: string, id: string): Promise<StoredDocument<T> | undefined>;
  /** Creates the document; fails with ALREADY_EXISTS if it is there (the idempotency primitive). */
  create<T extends DocumentData>(collection: string, id: string, data: T): Promise<StoredDocument<T>>;
  /** Creates or replaces the whole document. */
  set<T extends DocumentData>(collection: string, id: string, data: T): Promise<StoredDocument<T>>;
  /** Merges top-level fields into an existing document; NOT_FOUND if absent, VERSION_CONFLICT if stale. */
  update<T extends DocumentData>(
    collection: string,
    id: string,
    fields: Partial<T>,
    options?: UpdateOptions,
  ): Promise<StoredDocument<T>>;
  /**
   * Deletes the document; true if it existed. With `expectedVersion`, only that version is
   * deleted: VERSION_CONFLICT if the document has moved on (someone else's now).
   */
  delete(collection: string, id: string, options?: UpdateOptions): Promise<boolean>;
  query<T extends DocumentData>(collection: string, options?: QueryOptions): Promise<StoredDocument<T>[]>;
  close(): Promise<void>;
}

export type StateStoreErrorCode =
  | "ALREADY_EXISTS"
  | "NOT_FOUND"
  | "VERSION_CONFLICT"
  | "INVALID_ARGUMENT"
  | "UNAVAILABLE";

export class StateStoreError extends Gw3cxError<`STATE_${StateStoreErrorCode}`> {
  constructor(
    code: StateStoreErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(`STATE_${code}`, message, options);
  }
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** Both adapters accept the same names, so code that works on SQLite works on Firestore. */
export function assertDocumentPath(collection: string, id: string): void {
  if (!NAME.test(collection)) {
    throw new StateStoreError(
      "INVALID_ARGUMENT",
      `collection ${JSON.stringify(collection)} must match ${NAME}`,
    );
  }
  if (id === "" || id.includes("/") || id === "." || id === ".." || id.length > 1500) {
    throw new StateStoreError(
      "INVALID_ARGUMENT",
      `document id ${JSON.stringify(id)} must be 1-1500 characters without "/"`,
    );
  }
}

/** Top-level field names starting with "__" are reserved for the adapters' bookkeeping. */
export function assertDataFields(data: Record<string, unknown>): void {
  for (const key of Object.keys(data)) {
    if (key.startsWith("__")) {
      throw new StateStoreError(
        "INVALID_ARGUMENT",
        `field ${JSON.stringify(key)} is reserved: names starting with "__" are not allowed`,
      );
    }
  }
}
