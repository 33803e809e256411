import type { Bucket, NotificationConfig, StoredObject } from "./store.js";

/** The JSON resources as Cloud Storage's JSON API writes them (numbers as strings, as it does). */
export function objectResource(object: StoredObject, base: string): Record<string, unknown> {
  const encoded = encodeURIComponent(object.name);
  return {
    kind: "storage#object",
    id: `${object.bucket}/${object.name}/${object.generation}`,
    selfLink: `${base}/storage/v1/b/${object.bucket}/o/${encoded}`,
    mediaLink: `${base}/download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation: object.generation,
    metageneration: object.metageneration,
    contentType: object.contentType,
    storageClass: "STANDARD",
    size: String(object.data.length),
    md5Hash: object.md5Hash,
    crc32c: object.crc32c,
    etag: Buffer.from(object.generation).toString("base64"),
    timeCreated: object.timeCreated,
    updated: object.timeCreated,
    timeStorageClassUpdated: object.timeCreated,
    timeFinalized: object.timeCreated,
    ...(object.metadata ? { metadata: object.metadata } : {}),
  };
}

export function bucketResource(bucket: Bucket, base: string): Record<string, unknown> {
  return {
    kind: "storage#bucket",
    id: bucket.name,
    selfLink: `${base}/storage/v1/b/${bucket.name}`,
    projectNumber: "1234567890",
    name: bucket.name,
    timeCreated: bucket.timeCreated,
    updated: bucket.timeCreated,
    metageneration: "1",
    location: bucket.location,
    locationType: "multi-region",
    storageClass: bucket.storageClass,
    versioning: { enabled: bucket.versioningEnabled },
    etag: "CAE=",
  };
}

export function notificationResource(bucket: Bucket, config: NotificationConfig, base: string) {
  return {
    kind: "storage#notification",
    selfLink: `${base}/storage/v1/b/${bucket.name}/notificationConfigs/${config.id}`,
    ...config,
  };
}
