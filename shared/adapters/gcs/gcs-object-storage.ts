import type { Readable } from "node:stream";
import type { File, FileMetadata, Storage, StorageOptions } from "@google-cloud/storage";
import {
  type ObjectStorage,
  ObjectStorageError,
  type StoredObject,
  type WriteOptions,
} from "../../ports/object-storage.js";
import { validateObjectPath } from "../object-path.js";

/** Above this a write goes as a resumable upload (retried piecewise); below, one multipart request. */
const RESUMABLE_ABOVE_BYTES = 8 * 1024 * 1024;
/** Cloud Storage signs V4 URLs for at most 7 days. */
const MAX_LINK_SECONDS = 7 * 24 * 3600;

export interface GcsObjectStorageOptions {
  /** The archive bucket (settings.storage.bucket, infra's output archive_bucket). */
  bucket: string;
  /** Client options (tests: credentials whose key signs links); the client honours STORAGE_EMULATOR_HOST. */
  clientOptions?: StorageOptions;
  /** A ready client instead (shared by several adapters). */
  client?: Storage;
}

/**
 * ObjectStorage on Cloud Storage. The client library is imported on first use, so a function
 * that never touches the bucket does not pay for loading it at cold start.
 *
 * Read links are V4 signed URLs. In the cloud the function's account has no private key: the
 * client then signs through the IAM Credentials API (signBlob) as that account, which needs
 * iam.serviceAccounts.signBlob on itself (roles/iam.serviceAccountTokenCreator granted on the
 * account, to the account) and object read on the bucket for the link to work.
 */
export class GcsObjectStorage implements ObjectStorage {
  private client: Promise<Storage> | undefined;

  constructor(private readonly options: GcsObjectStorageOptions) {}

  async read(path: string): Promise<Buffer> {
    const file = await this.file(path);
    try {
      const [data] = await file.download();
      return data;
    } catch (error) {
      throw storageError(error, path, "read");
    }
  }

  async openReadStream(path: string): Promise<Readable> {
    const file = await this.file(path);
    // Known to exist (and at which generation) before a byte flows: a missing object is an error
    // here, not half-way through a caller's pipeline; a rewrite meanwhile cannot mix two versions.
    let generation: string | number | undefined;
    try {
      [{ generation }] = await file.getMetadata();
    } catch (error) {
      throw storageError(error, path, "read");
    }
    const pinned = file.bucket.file(
      file.name,
      generation !== undefined ? { generation: Number(generation) } : {},
    );
    return pinned.createReadStream({ validation: "crc32c" });
  }

  async write(path: string, data: Buffer | string, options: WriteOptions = {}): Promise<StoredObject> {
    const file = await this.file(path);
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    try {
      await file.save(bytes, {
        resumable: bytes.length > RESUMABLE_ABOVE_BYTES,
        validation: "crc32c",
        ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
        ...(options.metadata !== undefined ? { metadata: { metadata: options.metadata } } : {}),
        // Generation 0: "only if no live object has this name"; it also makes the write safe to retry.
        ...(options.ifAbsent ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
      });
    } catch (error) {
      if (options.ifAbsent && statusOf(error) === 412) {
        throw new ObjectStorageError("STORAGE_OBJECT_EXISTS", `an object is already stored at ${path}`, {
          cause: error,
          details: { path, bucket: this.options.bucket },
        });
      }
      throw storageError(error, path, "write");
    }
    return storedObject(path, file.metadata);
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    const file = await this.file(path);
    try {
      const [metadata] = await file.getMetadata();
      return storedObject(path, metadata);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw storageError(error, path, "stat");
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const bucket = (await this.storage()).bucket(this.options.bucket);
    try {
      const [files] = await bucket.getFiles({ prefix, autoPaginate: true });
      return files
        .map((file) => storedObject(file.name, file.metadata))
        .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    } catch (error) {
      throw storageError(error, prefix, "list");
    }
  }

  async signedReadUrl(path: string, expiresInSeconds: number): Promise<string> {
    if (!(await this.stat(path))) {
      throw new ObjectStorageError("STORAGE_NOT_FOUND", `no object ${path}`, {
        details: { path, bucket: this.options.bucket },
      });
    }
    const file = await this.file(path);
    try {
      const [url] = await file.getSignedUrl({
        version: "v4",
        action: "read",
        expires: Date.now() + Math.min(expiresInSeconds, MAX_LINK_SECONDS) * 1000,
      });
      return url;
    } catch (error) {
      throw new ObjectStorageError(
        "STORAGE_UNAVAILABLE",
        `could not sign a read link for ${path} (keyless: the account needs iam.serviceAccounts.signBlob on itself)`,
        { cause: error, details: { path, bucket: this.options.bucket } },
      );
    }
  }

  private async file(path: string): Promise<File> {
    validateObjectPath(path);
    return (await this.storage()).bucket(this.options.bucket).file(path);
  }

  private storage(): Promise<Storage> {
    if (this.options.client) return Promise.resolve(this.options.client);
    this.client ??= import("@google-cloud/storage").then(
      ({ Storage }) => new Storage(this.options.clientOptions),
    );
    return this.client;
  }
}

function storedObject(path: string, metadata: FileMetadata): StoredObject {
  const custom = metadata.metadata ?? {};
  return {
    path,
    size: Number(metadata.size ?? 0),
    ...(metadata.contentType ? { contentType: metadata.contentType } : {}),
    updated: new Date(metadata.updated ?? metadata.timeCreated ?? Date.now()),
    metadata: Object.fromEntries(
      Object.entries(custom).flatMap(([key, value]) => (value == null ? [] : [[key, String(value)]])),
    ),
  };
}

/** The HTTP status: ApiError carries it as code, a resumable upload's GaxiosError as status. */
function statusOf(error: unknown): number | undefined {
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
  if (typeof code === "number") return code;
  return typeof status === "number" ? status : undefined;
}

function storageError(error: unknown, path: string, operation: string): ObjectStorageError {
  const status = statusOf(error);
  if (status === 404) {
    return new ObjectStorageError("STORAGE_NOT_FOUND", `no object ${path}`, {
      cause: error,
      details: { path },
    });
  }
  return new ObjectStorageError(
    "STORAGE_UNAVAILABLE",
    `Cloud Storage ${operation} of ${path} failed${status ? ` (HTTP ${status})` : ""}`,
    { cause: error, details: { path, ...(status ? { status } : {}) } },
  );
}
