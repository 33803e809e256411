import { createHash, randomBytes } from "node:crypto";
import { crc32cBase64 } from "./crc32c.js";
import { conditionNotMet, GcsError, invalid, noSuchBucket, noSuchObject } from "./errors.js";

export interface StoredObject {
  bucket: string;
  name: string;
  generation: string;
  metageneration: string;
  data: Buffer;
  contentType: string;
  metadata?: Record<string, string>;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
}

export interface NotificationConfig {
  id: string;
  topic: string;
  payload_format: "JSON_API_V1" | "NONE";
  event_types?: string[];
  object_name_prefix?: string;
  custom_attributes?: Record<string, string>;
  etag: string;
}

export interface Bucket {
  name: string;
  project: string;
  location: string;
  storageClass: string;
  versioningEnabled: boolean;
  timeCreated: string;
  objects: Map<string, StoredObject>;
  notifications: Map<string, NotificationConfig>;
  nextNotificationId: number;
}

export interface Preconditions {
  ifGenerationMatch?: string;
  ifGenerationNotMatch?: string;
  ifMetagenerationMatch?: string;
  ifMetagenerationNotMatch?: string;
}

export type StorageEvent =
  | { type: "OBJECT_FINALIZE"; object: StoredObject; overwroteGeneration?: string }
  | { type: "OBJECT_DELETE"; object: StoredObject; overwrittenByGeneration?: string };

/** Buckets and their objects in memory, with Cloud Storage's generations and preconditions. */
export class CloudStorageModel {
  readonly buckets = new Map<string, Bucket>();
  private lastGeneration = 0;

  constructor(private readonly onEvent: (bucket: Bucket, event: StorageEvent) => void) {}

  createBucket(
    name: string,
    project: string,
    options: { location?: string; storageClass?: string; versioning?: boolean },
  ): Bucket {
    if (!/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(name)) throw invalid(`Invalid bucket name: '${name}'`);
    if (this.buckets.has(name)) {
      throw new GcsError(
        409,
        "conflict",
        "Your previous request to create the named bucket succeeded and you already own it.",
      );
    }
    const bucket: Bucket = {
      name,
      project,
      location: (options.location ?? "US").toUpperCase(),
      storageClass: options.storageClass ?? "STANDARD",
      versioningEnabled: options.versioning ?? false,
      timeCreated: new Date().toISOString(),
      objects: new Map(),
      notifications: new Map(),
      nextNotificationId: 1,
    };
    this.buckets.set(name, bucket);
    return bucket;
  }

  bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket();
    return bucket;
  }

  get(bucketName: string, name: string, conditions: Preconditions = {}, generation?: string): StoredObject {
    const object = this.bucket(bucketName).objects.get(name);
    if (!object || (generation !== undefined && object.generation !== generation))
      throw noSuchObject(bucketName, name);
    check(object, conditions);
    return object;
  }

  put(
    bucketName: string,
    name: string,
    data: Buffer,
    fields: { contentType?: string; metadata?: Record<string, string>; md5Hash?: string; crc32c?: string },
    conditions: Preconditions,
  ): StoredObject {
    const bucket = this.bucket(bucketName);
    validateObjectName(name);
    const previous = bucket.objects.get(name);
    check(previous, conditions);
    const md5Hash = createHash("md5").update(data).digest("base64");
    const crc32c = crc32cBase64(data);
    if (fields.md5Hash !== undefined && fields.md5Hash !== md5Hash)
      throw invalid(`Provided MD5 hash "${fields.md5Hash}" doesn't match calculated MD5 hash "${md5Hash}".`);
    if (fields.crc32c !== undefined && fields.crc32c !== crc32c)
      throw invalid(`Provided CRC32C "${fields.crc32c}" doesn't match calculated CRC32C "${crc32c}".`);
    const object: StoredObject = {
      bucket: bucketName,
      name,
      generation: this.nextGeneration(),
      metageneration: "1",
      data,
      contentType: fields.contentType ?? "application/octet-stream",
      ...(fields.metadata ? { metadata: { ...fields.metadata } } : {}),
      md5Hash,
      crc32c,
      timeCreated: new Date().toISOString(),
    };
    bucket.objects.set(name, object);
    if (previous)
      this.onEvent(bucket, {
        type: "OBJECT_DELETE",
        object: previous,
        overwrittenByGeneration: object.generation,
      });
    this.onEvent(bucket, {
      type: "OBJECT_FINALIZE",
      object,
      ...(previous ? { overwroteGeneration: previous.generation } : {}),
    });
    return object;
  }

  delete(bucketName: string, name: string, conditions: Preconditions): void {
    const bucket = this.bucket(bucketName);
    const object = bucket.objects.get(name);
    if (!object) throw noSuchObject(bucketName, name);
    check(object, conditions);
    bucket.objects.delete(name);
    this.onEvent(bucket, { type: "OBJECT_DELETE", object });
  }

  /** Object generations are microsecond timestamps in Cloud Storage; here strictly increasing ones. */
  private nextGeneration(): string {
    this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
    return String(this.lastGeneration);
  }
}

export function newEtag(): string {
  return randomBytes(6).toString("base64");
}

function validateObjectName(name: string): void {
  if (name.length === 0 || Buffer.byteLength(name) > 1024)
    throw invalid("Object name must be between 1 and 1024 bytes of UTF-8.");
  if (name === "." || name === ".." || /[\r\n]/.test(name)) throw invalid(`Invalid object name: '${name}'`);
}

function check(object: StoredObject | undefined, conditions: Preconditions): void {
  const { ifGenerationMatch, ifGenerationNotMatch, ifMetagenerationMatch, ifMetagenerationNotMatch } =
    conditions;
  const generation = object?.generation ?? "0";
  if (ifGenerationMatch !== undefined && ifGenerationMatch !== generation) throw conditionNotMet();
  if (ifGenerationNotMatch !== undefined && ifGenerationNotMatch === generation) {
    throw new GcsError(304, "notModified", "Not Modified");
  }
  if (ifMetagenerationMatch !== undefined && ifMetagenerationMatch !== object?.metageneration)
    throw conditionNotMet();
  if (ifMetagenerationNotMatch !== undefined && ifMetagenerationNotMatch === object?.metageneration) {
    throw new GcsError(304, "notModified", "Not Modified");
  }
}
