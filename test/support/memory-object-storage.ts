import { createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { validateObjectPath } from "../../shared/adapters/object-path.js";
import {
  type ObjectStorage,
  ObjectStorageError,
  type StoredObject,
  type WriteOptions,
} from "../../shared/ports/object-storage.js";

/**
 * An ObjectStorage in memory for tests: objects by path, and read links shaped like V4 signed
 * URLs (an expiry and an HMAC over path and expiry) that `read(url)` honours until they expire.
 */
export class MemoryObjectStorage implements ObjectStorage {
  readonly objects = new Map<string, { data: Buffer; stored: StoredObject }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async read(path: string): Promise<Buffer> {
    const object = this.objects.get(validateObjectPath(path));
    if (!object) throw new ObjectStorageError("STORAGE_NOT_FOUND", `no object ${path}`);
    return object.data;
  }

  async openReadStream(path: string): Promise<Readable> {
    return Readable.from([await this.read(path)]);
  }

  async write(path: string, data: Buffer | string, options: WriteOptions = {}): Promise<StoredObject> {
    validateObjectPath(path);
    if (options.ifAbsent && this.objects.has(path))
      throw new ObjectStorageError("STORAGE_OBJECT_EXISTS", `${path} exists`);
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    const stored: StoredObject = {
      path,
      size: bytes.length,
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
      updated: this.now(),
      metadata: { ...(options.metadata ?? {}) },
    };
    this.objects.set(path, { data: bytes, stored });
    return stored;
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    return this.objects.get(validateObjectPath(path))?.stored;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    return [...this.objects.values()]
      .filter((o) => o.stored.path.startsWith(prefix))
      .map((o) => o.stored)
      .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  }

  async signedReadUrl(path: string, expiresInSeconds: number): Promise<string> {
    if (!this.objects.has(path)) throw new ObjectStorageError("STORAGE_NOT_FOUND", `no object ${path}`);
    const expires = Math.floor(this.now().getTime() / 1000) + expiresInSeconds;
    return `https://storage.example/${encodeURI(path)}?expires=${expires}&signature=${sign(path, expires)}`;
  }

  /** The object a link leads to, or undefined when the link is forged or expired. */
  follow(url: string): Buffer | undefined {
    const parsed = new URL(url);
    const path = decodeURI(parsed.pathname.slice(1));
    const expires = Number(parsed.searchParams.get("expires"));
    if (parsed.searchParams.get("signature") !== sign(path, expires)) return undefined;
    if (expires * 1000 < this.now().getTime()) return undefined;
    return this.objects.get(path)?.data;
  }
}

function sign(path: string, expires: number): string {
  return createHmac("sha256", "test-signing-key").update(`${path}\n${expires}`).digest("hex");
}
