import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Reads what `cdktf synth` wrote (cdk.tf.json) as the cloud would deploy it: each function with its
 * artifact, entry point and environment, each push subscription with its endpoint and dead-letter
 * policy. Terraform references (`${google_service_account.X.email}`) are resolved the way the
 * resources would resolve them after an apply, against the local stand-ins; a reference this reader
 * does not know fails loudly, so a new kind of wiring in the stack cannot pass unnoticed.
 */

type Resource = Record<string, unknown>;
type ResourceTable = Record<string, Record<string, Resource>>;

export interface StackFunction {
  /** Terraform resource id, as references name it. */
  id: string;
  name: string;
  entryPoint: string;
  /** Functions Framework signature: "http" unless the function has an Eventarc trigger. */
  signatureType: "http" | "cloudevent";
  /** The zip cdktf made of the artifact, the object the cloud build installs. */
  artifactZip: string;
  /** Plain environment variables, Terraform references still in them. */
  environment: Record<string, string>;
  /** Variables mounted from Secret Manager: env name -> secret id reference. */
  secretEnvironment: Array<{ key: string; secret: string }>;
  serviceAccountEmail: string;
}

export interface StackPushSubscription {
  name: string;
  topic: string;
  pushEndpoint: string;
  deadLetterTopic?: string;
  maxDeliveryAttempts?: number;
  retryBackoffMs?: { minimum: number; maximum: number };
}

export interface StackSchedulerJob {
  name: string;
  /** Topic reference (resolve it). */
  topic: string;
  /** The message body the job publishes. */
  data: Buffer;
}

/** A Cloud Tasks queue as the stack declares it. */
export interface StackTaskQueue {
  name: string;
  location: string;
  rateLimits: { maxDispatchesPerSecond: number; maxConcurrentDispatches: number };
  retryConfig: { maxAttempts: number; minBackoff: string; maxBackoff: string; maxDoublings: number };
}

export interface ResolveContext {
  projectId: string;
  /** What data.google_project.*.number reads after the apply. */
  projectNumber: string;
  /** Base URL of each started function, by resource id. */
  functionUrls: ReadonlyMap<string, string>;
}

export class SynthesizedStack {
  private readonly resources: ResourceTable;
  private readonly stackDir: string;

  private readonly outputs: Record<string, { value: unknown }>;

  constructor(readonly file: string) {
    const json = JSON.parse(readFileSync(file, "utf8")) as {
      resource: ResourceTable;
      output?: Record<string, { value: unknown }>;
    };
    this.resources = json.resource;
    this.outputs = json.output ?? {};
    this.stackDir = dirname(file);
  }

  private table(type: string): Record<string, Resource> {
    return this.resources[type] ?? {};
  }

  private resource(type: string, id: string): Resource {
    const found = this.table(type)[id];
    if (!found) throw new Error(`the stack has no ${type}.${id}`);
    return found;
  }

  functions(): StackFunction[] {
    return Object.entries(this.table("google_cloudfunctions2_function")).map(([id, fn]) => {
      const build = fn.build_config as {
        entry_point: string;
        source: { storage_source: { object: string } };
      };
      const service = fn.service_config as {
        environment_variables?: Record<string, string>;
        secret_environment_variables?: Array<{ key: string; secret: string }>;
        service_account_email: string;
      };
      const objectRef = /^\$\{google_storage_bucket_object\.([^.]+)\.name\}$/.exec(
        build.source.storage_source.object,
      );
      if (!objectRef?.[1]) throw new Error(`${id}: source object is not a bucket object reference`);
      const object = this.resource("google_storage_bucket_object", objectRef[1]);
      return {
        id,
        name: String(fn.name),
        entryPoint: build.entry_point,
        signatureType: fn.event_trigger ? "cloudevent" : "http",
        artifactZip: join(this.stackDir, String(object.source)),
        environment: service.environment_variables ?? {},
        secretEnvironment: (service.secret_environment_variables ?? []).map(({ key, secret }) => ({
          key,
          secret,
        })),
        serviceAccountEmail: service.service_account_email,
      };
    });
  }

  pushSubscriptions(): StackPushSubscription[] {
    return Object.values(this.table("google_pubsub_subscription"))
      .filter((sub) => sub.push_config)
      .map((sub) => {
        const dead = sub.dead_letter_policy as
          | { dead_letter_topic: string; max_delivery_attempts: number }
          | undefined;
        const retry = sub.retry_policy as { minimum_backoff: string; maximum_backoff: string } | undefined;
        const ms = (duration: string) => Number(duration.replace(/s$/, "")) * 1000;
        return {
          name: String(sub.name),
          topic: String(sub.topic),
          pushEndpoint: (sub.push_config as { push_endpoint: string }).push_endpoint,
          ...(dead
            ? { deadLetterTopic: dead.dead_letter_topic, maxDeliveryAttempts: dead.max_delivery_attempts }
            : {}),
          ...(retry
            ? { retryBackoffMs: { minimum: ms(retry.minimum_backoff), maximum: ms(retry.maximum_backoff) } }
            : {}),
        };
      });
  }

  /** The buckets' Pub/Sub notifications, references unresolved. */
  bucketNotifications(): Array<{
    bucket: string;
    topic: string;
    prefix: string;
    eventTypes: string[];
    payloadFormat: string;
  }> {
    return Object.values(this.table("google_storage_notification")).map((n) => ({
      bucket: String(n.bucket),
      topic: String(n.topic),
      prefix: String(n.object_name_prefix ?? ""),
      eventTypes: (n.event_types as string[] | undefined) ?? [],
      payloadFormat: String(n.payload_format),
    }));
  }

  /** Pull subscriptions (no push config): where people read what failed. Topic references unresolved. */
  pullSubscriptions(): Array<{ name: string; topic: string }> {
    return Object.values(this.table("google_pubsub_subscription"))
      .filter((sub) => !sub.push_config)
      .map((sub) => ({ name: String(sub.name), topic: String(sub.topic) }));
  }

  schedulerJobs(): StackSchedulerJob[] {
    return Object.values(this.table("google_cloud_scheduler_job")).map((job) => {
      const target = job.pubsub_target as { data: string; topic_name: string };
      return { name: String(job.name), topic: target.topic_name, data: Buffer.from(target.data, "base64") };
    });
  }

  /** The accounts the admin authorises for domain-wide delegation (the stack's output), unresolved. */
  delegatingAccounts(): string[] {
    const value = this.outputs.delegation_client_ids?.value as Array<{ account: string }> | undefined;
    if (!value) throw new Error("the stack has no delegation_client_ids output");
    return value.map((entry) => entry.account);
  }

  taskQueues(): StackTaskQueue[] {
    return Object.values(this.table("google_cloud_tasks_queue")).map((queue) => {
      const rate = queue.rate_limits as {
        max_dispatches_per_second: number;
        max_concurrent_dispatches: number;
      };
      const retry = queue.retry_config as {
        max_attempts: number;
        min_backoff: string;
        max_backoff: string;
        max_doublings: number;
      };
      return {
        name: String(queue.name),
        location: String(queue.location),
        rateLimits: {
          maxDispatchesPerSecond: rate.max_dispatches_per_second,
          maxConcurrentDispatches: rate.max_concurrent_dispatches,
        },
        retryConfig: {
          maxAttempts: retry.max_attempts,
          minBackoff: retry.min_backoff,
          maxBackoff: retry.max_backoff,
          maxDoublings: retry.max_doublings,
        },
      };
    });
  }

  topicNames(): string[] {
    return Object.values(this.table("google_pubsub_topic")).map((topic) => String(topic.name));
  }

  /** Resolves every `${...}` in a value as Terraform would after the apply. */
  resolve(value: string, context: ResolveContext): string {
    return value.replace(/\$\{([^}]+)\}/g, (_whole, reference: string) =>
      this.resolveReference(reference, context),
    );
  }

  private resolveReference(reference: string, context: ResolveContext): string {
    if (reference === "var.project_id") return context.projectId;
    if (/^data\.google_project\.[^.]+\.number$/.test(reference)) return context.projectNumber;
    const [type, id, ...rest] = reference.split(".");
    const attribute = rest.join(".");
    if (!type || !id) throw new Error(`unresolved Terraform reference \${${reference}}`);
    const resource = this.resource(type, id);
    switch (`${type}.${attribute}`) {
      case "google_service_account.email":
        return `${String(resource.account_id)}@${context.projectId}.iam.gserviceaccount.com`;
      case "google_secret_manager_secret.secret_id":
        return String(resource.secret_id);
      // The key's resource id is its site key; the stand-in takes any.
      case "google_recaptcha_enterprise_key.name":
        return `site-key-${id}`;
      case "google_pubsub_topic.name":
        return String(resource.name);
      case "google_storage_bucket.name":
        return this.resolve(String(resource.name), context);
      case "google_pubsub_topic.id":
        return `projects/${context.projectId}/topics/${String(resource.name)}`;
      case "google_cloudfunctions2_function.url":
      case "google_cloudfunctions2_function.service_config[0].uri": {
        const url = context.functionUrls.get(id);
        if (!url) throw new Error(`\${${reference}}: function ${id} is not started yet`);
        return url;
      }
      default:
        throw new Error(`unresolved Terraform reference \${${reference}}: the e2e stand-ins do not model it`);
    }
  }
}
