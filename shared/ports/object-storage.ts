import { Gw3cxError } from "../errors.js";

export interface StoredObject {
  path: string;
  size: number;
  contentType?: string;
  updated: Date;
  metadata: Readonly<Record<string, string>>;
}

/** The bucket of recordings, voicemails and transcripts: Cloud Storage in the cloud, a folder locally. */
export interface ObjectStorage {
  read(path: string): Promise<Buffer>;
  /** ifAbsent makes the write idempotent: a second writer gets OBJECT_EXISTS. */
  write(
    path: string,
    data: Buffer | string,
    options?: { contentType?: string; metadata?: Record<string, string>; ifAbsent?: boolean },
  ): Promise<StoredObject>;
  stat(path: string): Promise<StoredObject | undefined>;
  list(prefix: string): Promise<StoredObject[]>;
  /** A time-limited read link, e.g. for a mail attachment over 25 MB. */
  signedReadUrl(path: string, expiresInSeconds: number): Promise<string>;
}

export class ObjectStorageError extends Gw3cxError<
  "STORAGE_NOT_FOUND" | "STORAGE_OBJECT_EXISTS" | "STORAGE_UNAVAILABLE"
> {}
