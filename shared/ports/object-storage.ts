import type { Readable } from "node:stream";
import { Gw3cxError } from "../errors.js";

export interface StoredObject {
  path: string;
  size: number;
  contentType?: string;
  updated: Date;
  metadata: Readonly<Record<string, string>>;
}

export interface WriteOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  /** Only if nothing is stored at the path yet: a second writer gets STORAGE_OBJECT_EXISTS. */
  ifAbsent?: boolean;
}

/** The bucket of recordings, voicemails and transcripts: Cloud Storage in the cloud, a folder locally. */
export interface ObjectStorage {
  /** The whole object; STORAGE_NOT_FOUND when absent. For large objects prefer openReadStream. */
  read(path: string): Promise<Buffer>;
  /**
   * The object as a stream, so a 60-minute recording is never held whole in memory. Resolves once
   * the object is known to exist (STORAGE_NOT_FOUND otherwise), before any byte is read.
   */
  openReadStream(path: string): Promise<Readable>;
  /** ifAbsent makes the write idempotent: a second writer gets STORAGE_OBJECT_EXISTS. */
  write(path: string, data: Buffer | string, options?: WriteOptions): Promise<StoredObject>;
  /** undefined when nothing is stored at the path. */
  stat(path: string): Promise<StoredObject | undefined>;
  /** Every object whose path starts with prefix (a plain string prefix), sorted by path. */
  list(prefix: string): Promise<StoredObject[]>;
  /** A time-limited read link, e.g. for a mail attachment over 25 MB. */
  signedReadUrl(path: string, expiresInSeconds: number): Promise<string>;
}

export class ObjectStorageError extends Gw3cxError<
  "STORAGE_NOT_FOUND" | "STORAGE_OBJECT_EXISTS" | "STORAGE_UNAVAILABLE" | "STORAGE_INVALID_PATH"
> {}
