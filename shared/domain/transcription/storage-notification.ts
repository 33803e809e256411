/**
 * A Cloud Storage notification (payload format JSON_API_V1) as Pub/Sub carries it: the object's
 * resource as the data, the event in the attributes. The local folder watcher publishes the same
 * shape, so one handler serves both.
 */
export interface StorageObjectResource {
  kind: "storage#object";
  bucket: string;
  name: string;
  generation: string;
  size: string;
  contentType?: string;
  timeCreated: string;
  updated: string;
}

export interface StorageNotification {
  data: StorageObjectResource;
  attributes: {
    eventType: "OBJECT_FINALIZE";
    bucketId: string;
    objectId: string;
    objectGeneration: string;
    payloadFormat: "JSON_API_V1";
    notificationConfig?: string;
  };
}

export function objectFinalizedNotification(object: {
  bucket: string;
  name: string;
  generation: string;
  size: number;
  contentType?: string;
  updated: Date;
}): StorageNotification {
  const when = object.updated.toISOString();
  return {
    data: {
      kind: "storage#object",
      bucket: object.bucket,
      name: object.name,
      generation: object.generation,
      size: String(object.size),
      ...(object.contentType ? { contentType: object.contentType } : {}),
      timeCreated: when,
      updated: when,
    },
    attributes: {
      eventType: "OBJECT_FINALIZE",
      bucketId: object.bucket,
      objectId: object.name,
      objectGeneration: object.generation,
      payloadFormat: "JSON_API_V1",
    },
  };
}
