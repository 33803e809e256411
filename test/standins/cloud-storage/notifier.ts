import { PubSub } from "@google-cloud/pubsub";
import { objectResource } from "./resources.js";
import type { Bucket, StorageEvent } from "./store.js";

export interface PublishedNotification {
  topic: string;
  attributes: Record<string, string>;
  data: string;
}

/**
 * Bucket notifications into the Pub/Sub stand-in with the real client, as Cloud Storage's service
 * agent publishes them: the object resource as data (JSON_API_V1) and the documented attributes.
 */
export class Notifier {
  readonly published: PublishedNotification[] = [];
  readonly failures: string[] = [];
  private pubsub: PubSub | undefined;
  private pending = Promise.resolve();

  constructor(
    pubsubHost: string | undefined,
    private readonly base: () => string,
  ) {
    if (pubsubHost) this.connect(pubsubHost);
  }

  connect(host: string): void {
    this.pubsub = new PubSub({ projectId: "gw3cx-storage-stand-in", apiEndpoint: host, emulatorMode: true });
  }

  get connected(): boolean {
    return this.pubsub !== undefined;
  }

  async topicExists(topic: string): Promise<boolean> {
    if (!this.pubsub) return false;
    const [exists] = await this.pubsub.topic(topic).exists();
    return exists;
  }

  /** Publishes in event order; each event goes to every matching configuration of the bucket. */
  notify(bucket: Bucket, event: StorageEvent): void {
    const eventTime = new Date().toISOString();
    for (const config of bucket.notifications.values()) {
      if (config.event_types && !config.event_types.includes(event.type)) continue;
      if (config.object_name_prefix && !event.object.name.startsWith(config.object_name_prefix)) continue;
      const topic = config.topic.replace(/^\/\/pubsub\.googleapis\.com\//, "");
      const attributes: Record<string, string> = {
        ...(config.custom_attributes ?? {}),
        notificationConfig: `projects/_/buckets/${bucket.name}/notificationConfigs/${config.id}`,
        eventType: event.type,
        payloadFormat: config.payload_format,
        bucketId: bucket.name,
        objectId: event.object.name,
        objectGeneration: event.object.generation,
        eventTime,
        ...(event.type === "OBJECT_FINALIZE" && event.overwroteGeneration
          ? { overwroteGeneration: event.overwroteGeneration }
          : {}),
        ...(event.type === "OBJECT_DELETE" && event.overwrittenByGeneration
          ? { overwrittenByGeneration: event.overwrittenByGeneration }
          : {}),
      };
      const data =
        config.payload_format === "JSON_API_V1"
          ? JSON.stringify(objectResource(event.object, this.base()))
          : "";
      this.pending = this.pending.then(async () => {
        try {
          if (!this.pubsub) throw new Error("no Pub/Sub host configured");
          await this.pubsub.topic(topic).publishMessage({ data: Buffer.from(data), attributes });
          this.published.push({ topic, attributes, data });
        } catch (error) {
          this.failures.push(`${topic}: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    }
  }

  async close(): Promise<void> {
    await this.pending;
    await this.pubsub?.close();
  }
}
