import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REQUIRED_APIS } from "../../../infra/constructs/apis.js";
import {
  BOUNDARY_RATE_LIMITS,
  BOUNDARY_RETRY,
  PRESENCE_BOUNDARY_QUEUE,
} from "../../../infra/constructs/presence-boundary-queue.js";
import { FUNCTION_SIZING } from "../../../infra/function-sizing.js";
import {
  FUNCTIONS,
  type FunctionKey,
  type Gw3cxStack,
  type Gw3cxStackProps,
} from "../../../infra/gw3cx-stack.js";
import { ALL_DELEGATED_SCOPES, SCOPES } from "../../../shared/adapters/google/scopes.js";
import { deadLetterTopicOf, MAX_DELIVERY_ATTEMPTS, TOPICS } from "../../../shared/messaging/topics.js";
import { MISSING_SOURCES, synthTestStack } from "../../support/synth-test-stack.js";

type Resource = Record<string, unknown>;
interface Synthesized {
  resource: Record<string, Record<string, Resource>>;
  data: Record<string, Record<string, Resource>>;
  variable: Record<string, unknown>;
  provider: Record<string, unknown[]>;
  output: Record<string, { value: unknown }>;
}

function synthesize(props: Partial<Gw3cxStackProps> = {}, extend?: (stack: Gw3cxStack) => void): Synthesized {
  return synthTestStack<Synthesized>(
    { settingsEnv: { GW3CX_3CX_URL: "https://pbx.example.com", GW_SYNC_TIME: "02:30:00" }, ...props },
    extend,
  );
}

const resourcesOf = (tf: Synthesized, type: string): Resource[] => Object.values(tf.resource[type] ?? {});

/** The one resource of a type with a field of that value. */
function find(tf: Synthesized, type: string, field: string, value: unknown): [string, Resource] {
  const found = Object.entries(tf.resource[type] ?? {}).filter(([, r]) => r[field] === value);
  expect(found, `${type} with ${field}=${String(value)}`).toHaveLength(1);
  return found[0] as [string, Resource];
}

/** "${TYPE.KEY.ATTR}" -> what it points at, e.g. "google_pubsub_topic:gw3cx-sync-requests". */
function target(tf: Synthesized, expression: unknown): string {
  if (expression === "${var.project_id}") return "project";
  const match = /^\$\{(google_[a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(String(expression));
  if (!match) return `?${String(expression)}`;
  const [, type, key] = match as unknown as [string, string, string];
  const resource = tf.resource[type]?.[key] ?? {};
  return `${type}:${String(resource.name ?? resource.secret_id ?? resource.account_id ?? key)}`;
}

const saRef = (tf: Synthesized, accountId: string, attr = "email") =>
  `\${google_service_account.${find(tf, "google_service_account", "account_id", accountId)[0]}.${attr}}`;
const saMember = (tf: Synthesized, accountId: string) => `serviceAccount:${saRef(tf, accountId)}`;
/** What every function that schedules presence boundaries is told (settings gcp.presenceBoundaryUrl, gcp.boundaryInvokerEmail). */
const presenceEnv = (tf: Synthesized) => ({
  GW3CX_PRESENCE_BOUNDARY_URL:
    "https://gw3cx-presence-boundary-${data.google_project.project.number}.europe-west1.run.app",
  GW3CX_BOUNDARY_INVOKER: saRef(tf, "gw3cx-boundary-invoker"),
});
/** The service_config fields a function's row of FUNCTION_SIZING sets (the wiring, not the values' reasons). */
const sizedAs = (key: FunctionKey) => {
  const row = FUNCTION_SIZING[key];
  return {
    available_memory: row.memory,
    available_cpu: row.cpu,
    timeout_seconds: row.timeoutSeconds,
    max_instance_request_concurrency: row.concurrency,
    max_instance_count: row.maxInstances,
    min_instance_count: 0,
  };
};
const PUBSUB_AGENT =
  "serviceAccount:service-${data.google_project.project.number}@gcp-sa-pubsub.iam.gserviceaccount.com";

/** Where each IAM member resource type names the resource it grants on. */
const IAM_MEMBER_TYPES: Record<string, string> = {
  google_project_iam_member: "project",
  google_pubsub_topic_iam_member: "topic",
  google_pubsub_subscription_iam_member: "subscription",
  google_secret_manager_secret_iam_member: "secret_id",
  google_service_account_iam_member: "service_account_id",
  google_cloud_run_v2_service_iam_member: "name",
  google_storage_bucket_iam_member: "bucket",
  google_cloud_tasks_queue_iam_member: "name",
};

/** Every grant in the stack as "MEMBER: ROLE on TARGET", sorted. */
function allGrants(tf: Synthesized): string[] {
  const grants: string[] = [];
  for (const [type, field] of Object.entries(IAM_MEMBER_TYPES)) {
    for (const r of resourcesOf(tf, type)) {
      grants.push(`${String(r.member)}: ${String(r.role)} on ${target(tf, r[field])}`);
    }
  }
  return grants.sort();
}

const grantsOf = (tf: Synthesized, member: string) =>
  allGrants(tf)
    .filter((g) => g.startsWith(`${member}: `))
    .map((g) => g.slice(member.length + 2));

let tf: Synthesized;
beforeAll(() => {
  tf = synthesize();
});

describe("infra: Gw3cxStack", () => {
  it("configures the Google provider from the project variable and the region setting", () => {
    expect(tf.variable.project_id).toMatchObject({ type: "string" });
    expect(tf.provider.google?.[0]).toMatchObject({ project: "${var.project_id}", region: "europe-west1" });
  });

  it("creates the private archive bucket: uniform access, public access prevented", () => {
    const [, bucket] = find(tf, "google_storage_bucket", "name", "${var.project_id}-gw3cx-archive");
    expect(bucket).toMatchObject({
      location: "EUROPE-WEST1",
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
    });
  });

  it("keeps one version per archive object and deletes by folder after its retention; linked attachments after their links", () => {
    const withRetention = synthesize({
      storage: { retentionDays: { recordings: 365, voicemails: 30 }, linkExpiryHours: 72 },
    });
    const [, bucket] = find(
      withRetention,
      "google_storage_bucket",
      "name",
      "${var.project_id}-gw3cx-archive",
    );
    expect(bucket.versioning).toEqual({ enabled: false });
    expect(bucket.lifecycle_rule).toEqual([
      { action: { type: "Delete" }, condition: { age: 365, matches_prefix: ["recordings/"] } },
      { action: { type: "Delete" }, condition: { age: 30, matches_prefix: ["voicemails/"] } },
      { action: { type: "Delete" }, condition: { age: 4, matches_prefix: ["mail-attachments/"] } },
    ]);
    // Without retention settings nothing under the archive folders is ever deleted by a rule.
    const [, plain] = find(tf, "google_storage_bucket", "name", "${var.project_id}-gw3cx-archive");
    expect(
      (plain.lifecycle_rule as { condition: { matches_prefix: string[] } }[]).map(
        (r) => r.condition.matches_prefix,
      ),
    ).toEqual([["mail-attachments/"]]);
  });

  it("tells the mail-sending function its archive bucket, and outputs the bucket's name", () => {
    const archiveRef = `\${google_storage_bucket.${find(tf, "google_storage_bucket", "name", "${var.project_id}-gw3cx-archive")[0]}.name}`;
    const [, daily] = find(tf, "google_cloudfunctions2_function", "name", FUNCTIONS.dailySync.name);
    const env = (daily.service_config as { environment_variables: Record<string, string> })
      .environment_variables;
    expect(env.GW3CX_ARCHIVE_BUCKET).toBe(archiveRef);
    const others = resourcesOf(tf, "google_cloudfunctions2_function").filter(
      (f) => f.name !== FUNCTIONS.dailySync.name,
    );
    for (const fn of others) {
      const vars =
        (fn.service_config as { environment_variables?: Record<string, string> }).environment_variables ?? {};
      expect(vars.GW3CX_ARCHIVE_BUCKET, String(fn.name)).toBeUndefined();
    }
    expect(tf.output.archive_bucket?.value).toBe(archiveRef);
  });

  it("keeps function sources in a private bucket of their own", () => {
    const [, bucket] = find(tf, "google_storage_bucket", "name", "${var.project_id}-gw3cx-functions");
    expect(bucket).toMatchObject({ uniform_bucket_level_access: true, public_access_prevention: "enforced" });
    expect(resourcesOf(tf, "google_storage_bucket")).toHaveLength(2);
  });
});

describe("infra: APIs", () => {
  it("enables every API gw3cx uses, and never disables one on destroy", () => {
    const services = resourcesOf(tf, "google_project_service");
    expect(services.map((s) => s.service).sort()).toEqual([...REQUIRED_APIS].sort());
    for (const api of [
      "cloudfunctions",
      "run",
      "cloudbuild",
      "artifactregistry",
      "eventarc",
      "pubsub",
      "cloudscheduler",
      "cloudtasks",
      "firestore",
      "secretmanager",
      "iamcredentials",
      "admin",
      "calendar-json",
      "people",
      "gmail",
      "storage",
      "logging",
    ])
      expect(services.map((s) => s.service)).toContain(`${api}.googleapis.com`);
    for (const s of services)
      expect(s).toMatchObject({ disable_on_destroy: false, project: "${var.project_id}" });
  });

  it("makes every other resource wait for the APIs", () => {
    const apiRefs = Object.keys(tf.resource.google_project_service ?? {}).map(
      // Bare "type.name": Terraform refuses a template ("${...}") in depends_on.
      (key) => `google_project_service.${key}`,
    );
    for (const [type, byKey] of Object.entries(tf.resource)) {
      if (type === "google_project_service") continue;
      for (const [key, r] of Object.entries(byKey))
        expect(r.depends_on, `${type}.${key}`).toEqual(expect.arrayContaining(apiRefs));
    }
  });
});

describe("infra: messaging", () => {
  const topicNames = Object.values(TOPICS);

  it("creates each topic and its dead-letter topic, named as in shared/messaging", () => {
    expect(
      resourcesOf(tf, "google_pubsub_topic")
        .map((t) => t.name)
        .sort(),
    ).toEqual([...topicNames, ...topicNames.map(deadLetterTopicOf)].sort());
  });

  // calendar-changes gets its push subscription with the presence worker function.
  const consumedTopics = [TOPICS.directoryChanges, TOPICS.syncRequests];

  it("has a calendar-changes topic for the presence worker", () => {
    expect(TOPICS.calendarChanges).toBe("gw3cx-calendar-changes");
    expect(topicNames).toContain("gw3cx-calendar-changes");
  });

  it.each(consumedTopics)("%s: its subscription dead-letters after MAX_DELIVERY_ATTEMPTS (5)", (topic) => {
    const [topicKey] = find(tf, "google_pubsub_topic", "name", topic);
    const [dltKey] = find(tf, "google_pubsub_topic", "name", deadLetterTopicOf(topic));
    const subscriptions = resourcesOf(tf, "google_pubsub_subscription").filter(
      (s) => s.topic === `\${google_pubsub_topic.${topicKey}.id}`,
    );
    expect(subscriptions).toHaveLength(1);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(5);
    expect(subscriptions[0]).toMatchObject({
      dead_letter_policy: {
        dead_letter_topic: `\${google_pubsub_topic.${dltKey}.id}`,
        max_delivery_attempts: 5,
      },
      retry_policy: { minimum_backoff: "10s", maximum_backoff: "600s" },
      message_retention_duration: "604800s",
      expiration_policy: { ttl: "" },
    });
  });

  it.each(topicNames)("%s: dead-lettered messages are kept 7 days on a pull subscription", (topic) => {
    const [dltKey] = find(tf, "google_pubsub_topic", "name", deadLetterTopicOf(topic));
    const holds = resourcesOf(tf, "google_pubsub_subscription").filter(
      (s) => s.topic === `\${google_pubsub_topic.${dltKey}.id}`,
    );
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ message_retention_duration: "604800s", expiration_policy: { ttl: "" } });
    expect(holds[0]).not.toHaveProperty("push_config");
    expect(holds[0]).not.toHaveProperty("dead_letter_policy");
  });

  it("lets the Pub/Sub service agent dead-letter: publisher on each dead-letter topic, subscriber on each source subscription", () => {
    expect(tf.data.google_project?.project).toMatchObject({ project_id: "${var.project_id}" });
    expect(grantsOf(tf, PUBSUB_AGENT)).toEqual(
      expect.arrayContaining([
        ...topicNames.map((t) => `roles/pubsub.publisher on google_pubsub_topic:${deadLetterTopicOf(t)}`),
        "roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-directory-changes-user-sync-worker",
        "roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-sync-requests-daily-sync",
      ]),
    );
  });
});

describe("infra: functions", () => {
  const fn = (name: string) => find(tf, "google_cloudfunctions2_function", "name", name)[1];
  const secretRef = (id: string) =>
    `\${google_secret_manager_secret.${find(tf, "google_secret_manager_secret", "secret_id", id)[0]}.secret_id}`;
  const secretEnv = (key: string, id: string) => ({
    key,
    secret: secretRef(id),
    version: "latest",
    project_id: "${var.project_id}",
  });

  it("creates exactly these functions, on nodejs22, each from its own source object", () => {
    const fns = resourcesOf(tf, "google_cloudfunctions2_function");
    expect(fns.map((f) => f.name).sort()).toEqual([
      "gw3cx-contacts-worker",
      "gw3cx-daily-sync",
      "gw3cx-directory-webhook",
      "gw3cx-presence-boundary",
      "gw3cx-presence-worker",
      "gw3cx-status-page",
      "gw3cx-user-sync-worker",
    ]);
    for (const f of fns) {
      expect(f).toMatchObject({ location: "europe-west1", build_config: { runtime: "nodejs22" } });
      const storage = (f.build_config as { source: { storage_source: Record<string, string> } }).source
        .storage_source;
      expect(target(tf, storage.object)).toMatch(/^google_storage_bucket_object:/);
      expect(storage.generation).toMatch(/^\$\{google_storage_bucket_object\..+\.generation\}$/);
    }
  });

  it("directoryWebhook: public HTTP endpoint, sized as its table row, own account, channel token from Secret Manager", () => {
    const f = fn("gw3cx-directory-webhook");
    expect(f).toMatchObject({
      build_config: { entry_point: "directoryWebhook" },
      service_config: {
        ingress_settings: "ALLOW_ALL",
        ...sizedAs("directoryWebhook"),
        service_account_email: saRef(tf, "gw3cx-webhook"),
        environment_variables: {
          GW3CX_GOOGLE_CHANNEL_TOKEN: "env:GW3CX_CHANNEL_TOKEN_VALUE",
          GW3CX_GOOGLE_SERVICE_ACCOUNT: saRef(tf, "gw3cx-webhook"),
          GW3CX_GCP_PROJECT: "${var.project_id}",
          GW3CX_GCP_REGION: "europe-west1",
          GW3CX_3CX_URL: "https://pbx.example.com",
          GW_SYNC_TIME: "02:30:00",
        },
        secret_environment_variables: [secretEnv("GW3CX_CHANNEL_TOKEN_VALUE", "gw3cx-channel-token")],
      },
    });
    expect(f).not.toHaveProperty("event_trigger");
    expect(grantsOf(tf, "allUsers")).toEqual([
      "roles/run.invoker on google_cloudfunctions2_function:gw3cx-directory-webhook",
    ]);
  });

  it("userSyncWorker: internal only, sized as its table row, 3CX client secret from Secret Manager", () => {
    const f = fn("gw3cx-user-sync-worker");
    expect(f).toMatchObject({
      build_config: { entry_point: "userSyncWorker" },
      service_config: {
        ingress_settings: "ALLOW_INTERNAL_ONLY",
        ...sizedAs("userSyncWorker"),
        service_account_email: saRef(tf, "gw3cx-user-sync"),
        environment_variables: {
          GW3CX_3CX_CLIENT_SECRET: "env:GW3CX_3CX_CLIENT_SECRET_VALUE",
          GW3CX_GOOGLE_SERVICE_ACCOUNT: saRef(tf, "gw3cx-user-sync"),
        },
        secret_environment_variables: [
          secretEnv("GW3CX_3CX_CLIENT_SECRET_VALUE", "gw3cx-threecx-client-secret"),
        ],
      },
    });
  });

  it("dailySync: internal only, sized as its table row, both secrets, the webhook URL for channel renewal", () => {
    const f = fn("gw3cx-daily-sync");
    const [webhookKey] = find(tf, "google_cloudfunctions2_function", "name", "gw3cx-directory-webhook");
    expect(f).toMatchObject({
      build_config: { entry_point: "dailySync" },
      service_config: {
        ingress_settings: "ALLOW_INTERNAL_ONLY",
        ...sizedAs("dailySync"),
        service_account_email: saRef(tf, "gw3cx-daily-sync"),
        environment_variables: {
          GW3CX_3CX_CLIENT_SECRET: "env:GW3CX_3CX_CLIENT_SECRET_VALUE",
          GW3CX_GOOGLE_CHANNEL_TOKEN: "env:GW3CX_CHANNEL_TOKEN_VALUE",
          GW3CX_GOOGLE_SERVICE_ACCOUNT: saRef(tf, "gw3cx-daily-sync"),
          GW3CX_DIRECTORY_WEBHOOK_URL: `\${google_cloudfunctions2_function.${webhookKey}.url}`,
          ...presenceEnv(tf),
        },
        secret_environment_variables: [
          secretEnv("GW3CX_3CX_CLIENT_SECRET_VALUE", "gw3cx-threecx-client-secret"),
          secretEnv("GW3CX_CHANNEL_TOKEN_VALUE", "gw3cx-channel-token"),
        ],
      },
    });
  });

  it("presenceWorker: internal only, sized as its table row, 3CX secret, schedules on the boundary queue", () => {
    expect(fn("gw3cx-presence-worker")).toMatchObject({
      build_config: { entry_point: "presenceWorker" },
      service_config: {
        ingress_settings: "ALLOW_INTERNAL_ONLY",
        ...sizedAs("presenceWorker"),
        service_account_email: saRef(tf, "gw3cx-presence-worker"),
        environment_variables: {
          GW3CX_3CX_CLIENT_SECRET: "env:GW3CX_3CX_CLIENT_SECRET_VALUE",
          GW3CX_GOOGLE_SERVICE_ACCOUNT: saRef(tf, "gw3cx-presence-worker"),
          ...presenceEnv(tf),
        },
        secret_environment_variables: [
          secretEnv("GW3CX_3CX_CLIENT_SECRET_VALUE", "gw3cx-threecx-client-secret"),
        ],
      },
    });
  });

  it("contactsWorker: internal only, sized as its table row, own delegating account, 3CX client secret", () => {
    const f = fn("gw3cx-contacts-worker");
    expect(f).toMatchObject({
      build_config: { entry_point: "contactsWorker" },
      service_config: {
        ingress_settings: "ALLOW_INTERNAL_ONLY",
        ...sizedAs("contactsWorker"),
        service_account_email: saRef(tf, "gw3cx-contacts"),
        environment_variables: {
          GW3CX_3CX_CLIENT_SECRET: "env:GW3CX_3CX_CLIENT_SECRET_VALUE",
          GW3CX_GOOGLE_SERVICE_ACCOUNT: saRef(tf, "gw3cx-contacts"),
        },
        secret_environment_variables: [
          secretEnv("GW3CX_3CX_CLIENT_SECRET_VALUE", "gw3cx-threecx-client-secret"),
        ],
      },
    });
  });

  it("presenceBoundary: internal only, sized as its table row, invoked by the queue's account only", () => {
    expect(fn("gw3cx-presence-boundary")).toMatchObject({
      build_config: { entry_point: "presenceBoundary" },
      service_config: {
        ingress_settings: "ALLOW_INTERNAL_ONLY",
        ...sizedAs("presenceBoundary"),
        service_account_email: saRef(tf, "gw3cx-presence-boundary"),
        environment_variables: {
          GW3CX_3CX_CLIENT_SECRET: "env:GW3CX_3CX_CLIENT_SECRET_VALUE",
          GW3CX_GOOGLE_SERVICE_ACCOUNT: saRef(tf, "gw3cx-presence-boundary"),
          ...presenceEnv(tf),
        },
      },
    });
    expect(grantsOf(tf, saMember(tf, "gw3cx-boundary-invoker"))).toEqual([
      "roles/run.invoker on google_cloudfunctions2_function:gw3cx-presence-boundary",
    ]);
  });

  it("the boundary URL the schedulers use is the boundary function's own Cloud Run address", () => {
    // https://SERVICE-PROJECT_NUMBER.REGION.run.app: Cloud Run's deterministic URL of the service.
    expect(presenceEnv(tf).GW3CX_PRESENCE_BOUNDARY_URL).toBe(
      "https://gw3cx-presence-boundary-${data.google_project.project.number}.europe-west1.run.app",
    );
  });

  it("every env:NAME secret reference is backed by a mounted secret of that name", () => {
    for (const f of resourcesOf(tf, "google_cloudfunctions2_function")) {
      const config = f.service_config as {
        environment_variables: Record<string, string>;
        secret_environment_variables: { key: string }[];
      };
      const refs = Object.values(config.environment_variables)
        .filter((v) => v.startsWith("env:"))
        .map((v) => v.slice(4));
      expect(refs.sort(), String(f.name)).toEqual(
        config.secret_environment_variables.map((s) => s.key).sort(),
      );
    }
  });

  it.each([
    // The ack deadline is the worker's timeout (function-sizing.test.ts checks the invariant itself).
    [
      "gw3cx-user-sync-worker",
      TOPICS.directoryChanges,
      "gw3cx-user-sync-invoker",
      FUNCTION_SIZING.userSyncWorker.timeoutSeconds,
    ],
    [
      "gw3cx-daily-sync",
      TOPICS.syncRequests,
      "gw3cx-daily-sync-invoker",
      FUNCTION_SIZING.dailySync.timeoutSeconds,
    ],
    [
      "gw3cx-presence-worker",
      TOPICS.calendarChanges,
      "gw3cx-presence-invoker",
      FUNCTION_SIZING.presenceWorker.timeoutSeconds,
    ],
    [
      "gw3cx-contacts-worker",
      TOPICS.contactsRequests,
      "gw3cx-contacts-invoker",
      FUNCTION_SIZING.contactsWorker.timeoutSeconds,
    ],
  ])("%s is pushed %s with an OIDC token of its own invoker account", (name, topic, invoker, ackDeadline) => {
    const [fnKey] = find(tf, "google_cloudfunctions2_function", "name", name);
    const [topicKey] = find(tf, "google_pubsub_topic", "name", topic);
    const uri = `\${google_cloudfunctions2_function.${fnKey}.service_config[0].uri}`;
    const subscription = resourcesOf(tf, "google_pubsub_subscription").find(
      (s) => s.topic === `\${google_pubsub_topic.${topicKey}.id}`,
    );
    expect(subscription).toMatchObject({
      ack_deadline_seconds: ackDeadline,
      push_config: {
        push_endpoint: `${uri}/projects/\${var.project_id}/topics/\${google_pubsub_topic.${topicKey}.name}`,
        oidc_token: { service_account_email: saRef(tf, invoker), audience: uri },
      },
    });
    expect(grantsOf(tf, saMember(tf, invoker))).toEqual([
      `roles/run.invoker on google_cloudfunctions2_function:${name}`,
    ]);
  });
});

describe("infra: service accounts are least privilege", () => {
  it("every grant in the stack is one of these, and nothing else", () => {
    const m = (id: string) => saMember(tf, id);
    expect(allGrants(tf)).toEqual(
      [
        `${m("gw3cx-webhook")}: roles/datastore.user on project`,
        `${m("gw3cx-webhook")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-directory-changes`,
        `${m("gw3cx-webhook")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-calendar-changes`,
        `${m("gw3cx-webhook")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-channel-token`,

        `${m("gw3cx-user-sync")}: roles/datastore.user on project`,
        `${m("gw3cx-user-sync")}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-user-sync`,
        `${m("gw3cx-user-sync")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-threecx-client-secret`,
        `${m("gw3cx-user-sync")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-directory-changes-dead-letter`,

        `${m("gw3cx-daily-sync")}: roles/datastore.user on project`,
        `${m("gw3cx-daily-sync")}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-daily-sync`,
        `${m("gw3cx-daily-sync")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-threecx-client-secret`,
        `${m("gw3cx-daily-sync")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-channel-token`,
        `${m("gw3cx-daily-sync")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-sync-requests-dead-letter`,
        `${m("gw3cx-daily-sync")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-calendar-changes`,
        `${m("gw3cx-daily-sync")}: roles/cloudtasks.enqueuer on google_cloud_tasks_queue:${PRESENCE_BOUNDARY_QUEUE}`,
        `${m("gw3cx-daily-sync")}: roles/cloudtasks.taskDeleter on google_cloud_tasks_queue:${PRESENCE_BOUNDARY_QUEUE}`,
        `${m("gw3cx-daily-sync")}: roles/iam.serviceAccountUser on google_service_account:gw3cx-boundary-invoker`,
        `${m("gw3cx-daily-sync")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-contacts-requests`,
        `${m("gw3cx-daily-sync")}: roles/storage.objectCreator on google_storage_bucket:\${var.project_id}-gw3cx-archive`,
        `${m("gw3cx-daily-sync")}: roles/storage.objectViewer on google_storage_bucket:\${var.project_id}-gw3cx-archive`,

        `${m("gw3cx-contacts")}: roles/datastore.user on project`,
        `${m("gw3cx-contacts")}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-contacts`,
        `${m("gw3cx-contacts")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-threecx-client-secret`,
        `${m("gw3cx-contacts")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-contacts-requests-dead-letter`,
        `${m("gw3cx-contacts-invoker")}: roles/run.invoker on google_cloudfunctions2_function:gw3cx-contacts-worker`,
        `${PUBSUB_AGENT}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-contacts-requests-dead-letter`,
        `${PUBSUB_AGENT}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-contacts-requests-contacts-worker`,
        `${PUBSUB_AGENT}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-contacts-invoker`,

        `${m("gw3cx-presence-worker")}: roles/datastore.user on project`,
        `${m("gw3cx-presence-worker")}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-presence-worker`,
        `${m("gw3cx-presence-worker")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-threecx-client-secret`,
        `${m("gw3cx-presence-worker")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-calendar-changes-dead-letter`,
        `${m("gw3cx-presence-worker")}: roles/cloudtasks.enqueuer on google_cloud_tasks_queue:${PRESENCE_BOUNDARY_QUEUE}`,
        `${m("gw3cx-presence-worker")}: roles/cloudtasks.taskDeleter on google_cloud_tasks_queue:${PRESENCE_BOUNDARY_QUEUE}`,
        `${m("gw3cx-presence-worker")}: roles/iam.serviceAccountUser on google_service_account:gw3cx-boundary-invoker`,

        `${m("gw3cx-presence-boundary")}: roles/datastore.user on project`,
        `${m("gw3cx-presence-boundary")}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-presence-boundary`,
        `${m("gw3cx-presence-boundary")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-threecx-client-secret`,
        `${m("gw3cx-presence-boundary")}: roles/cloudtasks.enqueuer on google_cloud_tasks_queue:${PRESENCE_BOUNDARY_QUEUE}`,
        `${m("gw3cx-presence-boundary")}: roles/cloudtasks.taskDeleter on google_cloud_tasks_queue:${PRESENCE_BOUNDARY_QUEUE}`,
        `${m("gw3cx-presence-boundary")}: roles/iam.serviceAccountUser on google_service_account:gw3cx-boundary-invoker`,
        `${m("gw3cx-presence-boundary")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-calendar-changes-dead-letter`,

        `${m("gw3cx-status-page")}: roles/datastore.user on project`,
        `${m("gw3cx-status-page")}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-status-page`,
        `${m("gw3cx-status-page")}: roles/secretmanager.secretAccessor on google_secret_manager_secret:gw3cx-threecx-client-secret`,
        `${m("gw3cx-status-page")}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-directory-changes-dead-letter-hold`,
        `${m("gw3cx-status-page")}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-sync-requests-dead-letter-hold`,
        `${m("gw3cx-status-page")}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-calendar-changes-dead-letter-hold`,
        `${m("gw3cx-status-page")}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-contacts-requests-dead-letter-hold`,
        `${m("gw3cx-status-page")}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-recordings-dead-letter-hold`,
        `${PUBSUB_AGENT}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-recordings-dead-letter`,

        `${m("gw3cx-user-sync-invoker")}: roles/run.invoker on google_cloudfunctions2_function:gw3cx-user-sync-worker`,
        `${m("gw3cx-daily-sync-invoker")}: roles/run.invoker on google_cloudfunctions2_function:gw3cx-daily-sync`,
        `${m("gw3cx-presence-invoker")}: roles/run.invoker on google_cloudfunctions2_function:gw3cx-presence-worker`,
        `${m("gw3cx-boundary-invoker")}: roles/run.invoker on google_cloudfunctions2_function:gw3cx-presence-boundary`,
        "allUsers: roles/run.invoker on google_cloudfunctions2_function:gw3cx-directory-webhook",

        `${PUBSUB_AGENT}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-directory-changes-dead-letter`,
        `${PUBSUB_AGENT}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-sync-requests-dead-letter`,
        `${PUBSUB_AGENT}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-calendar-changes-dead-letter`,
        `${PUBSUB_AGENT}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-directory-changes-user-sync-worker`,
        `${PUBSUB_AGENT}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-sync-requests-daily-sync`,
        `${PUBSUB_AGENT}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-calendar-changes-presence-worker`,
        `${PUBSUB_AGENT}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-presence-invoker`,
        `${PUBSUB_AGENT}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-user-sync-invoker`,
        `${PUBSUB_AGENT}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-daily-sync-invoker`,
      ].sort(),
    );
  });

  it("uses only additive *_iam_member grants (no bindings or policies that could widen or wipe access)", () => {
    const iamTypes = Object.keys(tf.resource).filter((t) => t.includes("_iam_"));
    for (const t of iamTypes) expect(Object.keys(IAM_MEMBER_TYPES)).toContain(t);
  });

  it("grants no project-level token creator and no basic roles anywhere", () => {
    const projectRoles = resourcesOf(tf, "google_project_iam_member").map((r) => r.role);
    expect(projectRoles).not.toContain("roles/iam.serviceAccountTokenCreator");
    const text = JSON.stringify(tf);
    for (const role of ["roles/owner", "roles/editor", "roles/viewer"]) expect(text).not.toContain(role);
  });

  it("the delegating accounts are distinct functions' own accounts", () => {
    const ids = resourcesOf(tf, "google_service_account").map((s) => s.account_id);
    expect(ids.sort()).toEqual([
      "gw3cx-boundary-invoker",
      "gw3cx-contacts",
      "gw3cx-contacts-invoker",
      "gw3cx-daily-sync",
      "gw3cx-daily-sync-invoker",
      "gw3cx-presence-boundary",
      "gw3cx-presence-invoker",
      "gw3cx-presence-worker",
      "gw3cx-status-page",
      "gw3cx-user-sync",
      "gw3cx-user-sync-invoker",
      "gw3cx-webhook",
    ]);
    for (const id of ids) expect(String(id).length).toBeLessThanOrEqual(30);
  });
});

describe("infra: scheduler", () => {
  it("publishes {trigger: daily} to the sync-requests topic at GW_SYNC_TIME in the tenant's time zone", () => {
    const jobs = resourcesOf(tf, "google_cloud_scheduler_job") as (Resource & {
      name: string;
      pubsub_target: { data: string; topic_name: string };
    })[];
    expect(jobs.map((j) => j.name).sort()).toEqual(["gw3cx-daily-sync", "gw3cx-renew-channels"]);
    const job = jobs.find((j) => j.name === "gw3cx-daily-sync") as (typeof jobs)[number];
    expect(job).toMatchObject({ schedule: "30 2 * * *", time_zone: "Europe/Berlin", region: "europe-west1" });
    expect(target(tf, job.pubsub_target.topic_name)).toBe(`google_pubsub_topic:${TOPICS.syncRequests}`);
    expect(JSON.parse(Buffer.from(job.pubsub_target.data, "base64").toString("utf8"))).toEqual({
      trigger: "daily",
    });
  });

  it("renews the Directory watch channels every 3 hours through the same topic", () => {
    const tf = synthesize();
    const tick = resourcesOf(tf, "google_cloud_scheduler_job").find(
      (j) => j.name === "gw3cx-renew-channels",
    ) as Resource & {
      pubsub_target: { data: string; topic_name: string };
    };
    expect(tick).toMatchObject({ schedule: "17 */3 * * *" });
    expect(target(tf, tick.pubsub_target.topic_name)).toBe(`google_pubsub_topic:${TOPICS.syncRequests}`);
    expect(JSON.parse(Buffer.from(tick.pubsub_target.data, "base64").toString("utf8"))).toEqual({
      trigger: "renewChannels",
    });
  });

  it("with calendarPresence on, ticks the presence reconcile every minute through the same topic", () => {
    const tf = synthesize({ calendarPresence: true });
    const tick = resourcesOf(tf, "google_cloud_scheduler_job").find(
      (j) => j.name === "gw3cx-reconcile-presence",
    ) as Resource & { pubsub_target: { data: string; topic_name: string } };
    expect(tick).toMatchObject({ schedule: "* * * * *", region: "europe-west1" });
    expect(target(tf, tick.pubsub_target.topic_name)).toBe(`google_pubsub_topic:${TOPICS.syncRequests}`);
    expect(JSON.parse(Buffer.from(tick.pubsub_target.data, "base64").toString("utf8"))).toEqual({
      trigger: "reconcilePresence",
    });
  });

  it("takes schedule and time zone from the props (seconds dropped: minute resolution)", () => {
    const other = synthesize({ syncTime: "23:05:59", timeZone: "America/New_York" });
    expect(
      resourcesOf(other, "google_cloud_scheduler_job").find((j) => j.name === "gw3cx-daily-sync"),
    ).toMatchObject({
      schedule: "5 23 * * *",
      time_zone: "America/New_York",
    });
  });

  it("refuses an invalid sync time at synth", () => {
    expect(() => synthesize({ syncTime: "25:00:00" })).toThrow(/GW_SYNC_TIME/);
  });
});

describe("infra: secrets and state", () => {
  it("creates the two secrets, replicated automatically, and never a secret version (values stay out of state)", () => {
    const secrets = resourcesOf(tf, "google_secret_manager_secret");
    expect(secrets.map((s) => s.secret_id).sort()).toEqual([
      "gw3cx-channel-token",
      "gw3cx-threecx-client-secret",
    ]);
    for (const s of secrets) expect(s).toMatchObject({ replication: { auto: {} } });
    expect(tf.resource).not.toHaveProperty("google_secret_manager_secret_version");
  });

  it("creates the (default) Firestore database in Native mode, deletion-protected", () => {
    expect(resourcesOf(tf, "google_firestore_database")).toEqual([
      expect.objectContaining({
        name: "(default)",
        type: "FIRESTORE_NATIVE",
        location_id: "europe-west1",
        delete_protection_state: "DELETE_PROTECTION_ENABLED",
        deletion_policy: "ABANDON",
      }),
    ]);
    expect(
      resourcesOf(synthesize({ firestoreLocation: "eur3" }), "google_firestore_database")[0],
    ).toMatchObject({
      location_id: "eur3",
    });
  });

  it("outputs the webhook URL, and the client ids and scopes to authorize for domain-wide delegation", () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      "archive_bucket",
      "delegation_client_ids",
      "delegation_scopes",
      "directory_webhook_url",
      "status_page_url",
    ]);
    const scopes = String(tf.output.delegation_scopes?.value).split(",");
    expect(scopes.sort()).toEqual([...ALL_DELEGATED_SCOPES].sort());
    expect(scopes).toEqual(expect.arrayContaining([...SCOPES.calendarEvents, ...SCOPES.contacts]));
    const accounts = ((tf.output.delegation_client_ids?.value ?? []) as { account: string }[]).map(
      (a) => a.account,
    );
    expect(accounts.sort()).toEqual(
      [
        "gw3cx-contacts",
        "gw3cx-daily-sync",
        "gw3cx-presence-boundary",
        "gw3cx-presence-worker",
        "gw3cx-status-page",
        "gw3cx-user-sync",
      ]
        .map((id) => saRef(tf, id))
        .sort(),
    );
  });
});

describe("infra: status page", () => {
  const page = (t: Synthesized) => find(t, "google_cloudfunctions2_function", "name", "gw3cx-status-page")[1];
  const invokers = (t: Synthesized) =>
    resourcesOf(t, "google_cloud_run_v2_service_iam_member")
      .filter((r) => target(t, r.name) === "google_cloudfunctions2_function:gw3cx-status-page")
      .map((r) => `${String(r.member)} ${String(r.role)}`)
      .sort();

  it("statusPage: reachable from the internet, own account, 3CX secret for approvals, its own URLs as ID-token audiences", () => {
    expect(page(tf)).toMatchObject({
      build_config: { entry_point: "statusPage" },
      service_config: {
        ingress_settings: "ALLOW_ALL",
        service_account_email: saRef(tf, "gw3cx-status-page"),
        ...sizedAs("statusPage"),
        secret_environment_variables: [expect.objectContaining({ key: "GW3CX_3CX_CLIENT_SECRET_VALUE" })],
      },
    });
    const env = (page(tf).service_config as { environment_variables: Record<string, string> })
      .environment_variables;
    expect(env.GW3CX_STATUS_ID_TOKEN_AUDIENCES?.split(",")).toEqual([
      "https://europe-west1-${var.project_id}.cloudfunctions.net/gw3cx-status-page",
      "https://gw3cx-status-page-${data.google_project.project.number}.europe-west1.run.app",
      "32555940559.apps.googleusercontent.com",
    ]);
  });

  it("is never public: without an admin list or domain nobody may invoke it", () => {
    expect(invokers(tf)).toEqual([]);
    expect(JSON.stringify(tf.resource.google_cloud_run_v2_service_iam_member)).not.toMatch(
      /allUsers[^}]*gw3cx-status-page|status-page[^}]*allUsers/,
    );
  });

  it("admits the listed admins' ID tokens, or the Workspace domain, and IAP's service agent when IAP fronts it", () => {
    const listed = synthesize({
      statusPage: {
        admins: ["it@example.com", "boss@example.com"],
        workspaceDomain: "example.com",
        iap: true,
      },
    });
    expect(invokers(listed)).toEqual(
      [
        "user:boss@example.com roles/run.invoker",
        "user:it@example.com roles/run.invoker",
        "serviceAccount:service-${data.google_project.project.number}@gcp-sa-iap.iam.gserviceaccount.com roles/run.invoker",
      ].sort(),
    );
    const domain = synthesize({ statusPage: { admins: [], workspaceDomain: "example.com", iap: false } });
    expect(invokers(domain)).toEqual(["domain:example.com roles/run.invoker"]);
  });
});

describe("infra: function sources", () => {
  it("without a build, references the zip by path so synth still works", () => {
    const objects = resourcesOf(tf, "google_storage_bucket_object");
    expect(objects.map((o) => o.source).sort()).toEqual(
      Object.values(FUNCTIONS)
        // Deployed only with recaptcha.enabled (recaptcha-stack.test.ts) or transcription.enabled (below).
        .filter(
          (f) =>
            f.build !== FUNCTIONS.recaptchaVerify.build && f.build !== FUNCTIONS.transcriptionWorker.build,
        )
        .map((f) => join(MISSING_SOURCES, `${f.build}.zip`))
        .sort(),
    );
  });

  it("with a build, zips each dist/functions/NAME folder as an asset named by its hash", () => {
    const dir = mkdtempSync(join(tmpdir(), "gw3cx-functions-"));
    for (const name of Object.values(FUNCTIONS).map((f) => f.build)) {
      const fnDir = join(dir, name);
      mkdirSync(fnDir);
      writeFileSync(join(fnDir, "index.mjs"), `export const name = "${name}";\n`);
    }
    const built = synthesize({ functionSourceDir: dir });
    for (const o of resourcesOf(built, "google_storage_bucket_object")) {
      expect(String(o.source)).toMatch(/^assets\/.+\/archive\.zip$/);
      expect(String(o.name)).toMatch(/^[a-z-]+\/[0-9A-F]+\.zip$/);
    }
  });

  it("as `npx cdktf synth` runs it, refuses an artifact that is not built or lacks its lockfile", () => {
    expect(() => synthesize({ functionSourceDir: MISSING_SOURCES, requireBuiltSources: true })).toThrow(
      /directory-webhook is not built: run `npm run build`/,
    );
    const dir = mkdtempSync(join(tmpdir(), "gw3cx-functions-"));
    for (const name of Object.values(FUNCTIONS).map((f) => f.build)) {
      mkdirSync(join(dir, name));
      for (const file of ["index.mjs", "package.json"]) writeFileSync(join(dir, name, file), "{}\n");
    }
    expect(() => synthesize({ functionSourceDir: dir, requireBuiltSources: true })).toThrow(
      /directory-webhook is missing package-lock.json/,
    );
  });
});

describe("infra: presence boundaries (Cloud Tasks)", () => {
  const queueOf = (t: Synthesized) => find(t, "google_cloud_tasks_queue", "name", PRESENCE_BOUNDARY_QUEUE);

  it("creates one queue in the region, rate-limited to protect the 3CX API, with bounded quick retries", () => {
    expect(resourcesOf(tf, "google_cloud_tasks_queue")).toHaveLength(1);
    const [, queue] = queueOf(tf);
    expect(queue).toMatchObject({
      location: "europe-west1",
      project: "${var.project_id}",
      rate_limits: {
        max_dispatches_per_second: BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond,
        max_concurrent_dispatches: BOUNDARY_RATE_LIMITS.maxConcurrentDispatches,
      },
      retry_config: {
        max_attempts: BOUNDARY_RETRY.maxAttempts,
        min_backoff: BOUNDARY_RETRY.minBackoff,
        max_backoff: BOUNDARY_RETRY.maxBackoff,
        max_doublings: BOUNDARY_RETRY.maxDoublings,
      },
    });
    // A cap the PBX can take, and retries that end before the reconcile tick has long repaired them.
    expect(BOUNDARY_RATE_LIMITS.maxConcurrentDispatches).toBeLessThanOrEqual(20);
    expect(BOUNDARY_RATE_LIMITS.maxDispatchesPerSecond).toBeLessThanOrEqual(50);
    expect(BOUNDARY_RETRY.maxAttempts).toBeGreaterThan(1);
    expect(queue).not.toHaveProperty("retry_config.max_retry_duration");
  });

  it("grants Cloud Tasks roles on the queue only, never on the project", () => {
    const projectRoles = resourcesOf(tf, "google_project_iam_member").map((r) => String(r.role));
    expect(projectRoles.filter((r) => r.startsWith("roles/cloudtasks."))).toEqual([]);
    const [queueKey] = queueOf(tf);
    for (const grant of resourcesOf(tf, "google_cloud_tasks_queue_iam_member")) {
      expect(grant).toMatchObject({
        name: `\${google_cloud_tasks_queue.${queueKey}.name}`,
        location: `\${google_cloud_tasks_queue.${queueKey}.location}`,
      });
      expect(["roles/cloudtasks.enqueuer", "roles/cloudtasks.taskDeleter"]).toContain(grant.role);
    }
  });

  it("only the accounts that schedule may act as the invoker, which may invoke the boundary function only", () => {
    const actAs = allGrants(tf).filter((g) =>
      g.endsWith("roles/iam.serviceAccountUser on google_service_account:gw3cx-boundary-invoker"),
    );
    expect(actAs).toEqual(
      ["gw3cx-daily-sync", "gw3cx-presence-boundary", "gw3cx-presence-worker"]
        .map(
          (id) =>
            `${saMember(tf, id)}: roles/iam.serviceAccountUser on google_service_account:gw3cx-boundary-invoker`,
        )
        .sort(),
    );
    expect(allGrants(tf).filter((g) => g.includes("roles/iam.serviceAccountUser"))).toEqual(actAs);
    expect(grantsOf(tf, saMember(tf, "gw3cx-boundary-invoker"))).toEqual([
      "roles/run.invoker on google_cloudfunctions2_function:gw3cx-presence-boundary",
    ]);
  });

  it("every function that schedules boundaries is told the queue's invoker and the boundary URL", () => {
    for (const name of ["gw3cx-daily-sync", "gw3cx-presence-worker", "gw3cx-presence-boundary"]) {
      const [, f] = find(tf, "google_cloudfunctions2_function", "name", name);
      expect(f, name).toMatchObject({ service_config: { environment_variables: presenceEnv(tf) } });
    }
  });
});

describe("infra: transcription (transcription.enabled)", () => {
  let on: Synthesized;
  let withDelegation: Synthesized;
  beforeAll(() => {
    on = synthesize({ transcription: { delegation: false } });
    withDelegation = synthesize({ transcription: { delegation: true } });
  });
  const storageAgent = (stack: Synthesized) =>
    `\${data.google_storage_project_service_account.${Object.keys(stack.data.google_storage_project_service_account ?? {})[0]}.member}`;
  const newGrants = (stack: Synthesized) => {
    const before = new Set(allGrants(tf));
    return allGrants(stack).filter((g) => !before.has(g));
  };

  it("adds nothing while off: no Speech API, no bucket notification, no worker", () => {
    expect(resourcesOf(tf, "google_project_service").map((s) => s.service)).not.toContain(
      "speech.googleapis.com",
    );
    expect(resourcesOf(tf, "google_storage_notification")).toEqual([]);
    expect(resourcesOf(tf, "google_cloudfunctions2_function").map((f) => f.name)).not.toContain(
      "gw3cx-transcription-worker",
    );
  });

  it("enables Speech-to-Text, and the worker waits for it", () => {
    const [key, api] = find(on, "google_project_service", "service", "speech.googleapis.com");
    expect(api).toMatchObject({ disable_on_destroy: false });
    const [, worker] = find(on, "google_cloudfunctions2_function", "name", "gw3cx-transcription-worker");
    expect(worker.depends_on).toContain(`google_project_service.${key}`);
  });

  it("notifies finalized objects under recordings/ and voicemails/ into gw3cx-recordings, as JSON_API_V1", () => {
    const [topicKey] = find(on, "google_pubsub_topic", "name", TOPICS.recordings);
    const [bucketKey] = find(on, "google_storage_bucket", "name", "${var.project_id}-gw3cx-archive");
    const notifications = resourcesOf(on, "google_storage_notification");
    expect(notifications.map((n) => n.object_name_prefix).sort()).toEqual(["recordings/", "voicemails/"]);
    for (const n of notifications) {
      expect(n).toMatchObject({
        bucket: `\${google_storage_bucket.${bucketKey}.name}`,
        topic: `\${google_pubsub_topic.${topicKey}.id}`,
        payload_format: "JSON_API_V1",
        event_types: ["OBJECT_FINALIZE"],
      });
      expect(String(n.depends_on)).toContain(
        "google_pubsub_topic_iam_member.transcription_storage-agent-publisher",
      );
    }
  });

  it("transcriptionWorker: internal only, sized as its table row, the bucket in its settings", () => {
    const [, worker] = find(on, "google_cloudfunctions2_function", "name", "gw3cx-transcription-worker");
    const [bucketKey] = find(on, "google_storage_bucket", "name", "${var.project_id}-gw3cx-archive");
    expect(worker).toMatchObject({
      build_config: { entry_point: "transcriptionWorker" },
      service_config: {
        service_account_email: saRef(on, "gw3cx-transcription"),
        ...sizedAs("transcriptionWorker"),
        ingress_settings: "ALLOW_INTERNAL_ONLY",
        secret_environment_variables: [],
      },
    });
    const env = (worker.service_config as { environment_variables: Record<string, string> })
      .environment_variables;
    expect(env.GW3CX_ARCHIVE_BUCKET).toBe(`\${google_storage_bucket.${bucketKey}.name}`);
  });

  it("pushes gw3cx-recordings to the worker with a dead-letter policy, Pub/Sub's longest ack deadline and the usual backoff", () => {
    const [topicKey] = find(on, "google_pubsub_topic", "name", TOPICS.recordings);
    const [deadKey] = find(on, "google_pubsub_topic", "name", deadLetterTopicOf(TOPICS.recordings));
    const [fnKey] = find(on, "google_cloudfunctions2_function", "name", "gw3cx-transcription-worker");
    const uri = `\${google_cloudfunctions2_function.${fnKey}.service_config[0].uri}`;
    const [, subscription] = find(
      on,
      "google_pubsub_subscription",
      "name",
      `${TOPICS.recordings}-transcription-worker`,
    );
    expect(subscription).toMatchObject({
      topic: `\${google_pubsub_topic.${topicKey}.id}`,
      ack_deadline_seconds: 600,
      retry_policy: { minimum_backoff: "10s", maximum_backoff: "600s" },
      dead_letter_policy: {
        dead_letter_topic: `\${google_pubsub_topic.${deadKey}.id}`,
        max_delivery_attempts: MAX_DELIVERY_ATTEMPTS,
      },
      push_config: {
        oidc_token: { service_account_email: saRef(on, "gw3cx-transcription-invoker"), audience: uri },
      },
    });
  });

  it("grants exactly this: Speech client, Firestore, read + create on the archive bucket only, and the notification path", () => {
    const m = (id: string) => saMember(on, id);
    expect(newGrants(on)).toEqual(
      [
        `${m("gw3cx-transcription")}: roles/datastore.user on project`,
        `${m("gw3cx-transcription")}: roles/speech.client on project`,
        `${m("gw3cx-transcription")}: roles/storage.objectViewer on google_storage_bucket:\${var.project_id}-gw3cx-archive`,
        `${m("gw3cx-transcription")}: roles/storage.objectCreator on google_storage_bucket:\${var.project_id}-gw3cx-archive`,
        `${m("gw3cx-transcription")}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-recordings-dead-letter`,
        `${storageAgent(on)}: roles/pubsub.publisher on google_pubsub_topic:gw3cx-recordings`,
        `${m("gw3cx-transcription-invoker")}: roles/run.invoker on google_cloudfunctions2_function:gw3cx-transcription-worker`,
        `${PUBSUB_AGENT}: roles/pubsub.subscriber on google_pubsub_subscription:gw3cx-recordings-transcription-worker`,
        `${PUBSUB_AGENT}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-transcription-invoker`,
      ].sort(),
    );
    // Beside it, only the daily function touches objects (the attachments behind mail links).
    expect(
      allGrants(on)
        .filter((g) => g.includes("roles/storage."))
        .every((g) => g.startsWith(m("gw3cx-transcription")) || g.startsWith(m("gw3cx-daily-sync"))),
    ).toBe(true);
  });

  it("lets the worker sign JWTs as itself, and lists it for delegation, only when it mails voicemails or looks up owners", () => {
    const signs = `${saMember(withDelegation, "gw3cx-transcription")}: roles/iam.serviceAccountTokenCreator on google_service_account:gw3cx-transcription`;
    expect(newGrants(withDelegation)).toContain(signs);
    expect(
      grantsOf(on, saMember(on, "gw3cx-transcription")).some((g) => g.includes("serviceAccountTokenCreator")),
    ).toBe(false);
    const accounts = (stack: Synthesized) =>
      ((stack.output.delegation_client_ids?.value ?? []) as { account: string }[]).map((a) => a.account);
    expect(accounts(withDelegation)).toContain(saRef(withDelegation, "gw3cx-transcription"));
    expect(accounts(on)).not.toContain(saRef(on, "gw3cx-transcription"));
  });
});

describe("infra: the archiver account for 3CX remote storage", () => {
  const ARCHIVE_BUCKET = "google_storage_bucket:${var.project_id}-gw3cx-archive";
  let archiving: Synthesized;
  beforeAll(() => {
    archiving = synthesize({ remoteArchiving: true });
  });

  it("exists only with storage.remoteArchiving: no account, grant or secret for it otherwise", () => {
    expect(resourcesOf(tf, "google_service_account").map((s) => s.account_id)).not.toContain(
      "gw3cx-archiver",
    );
    expect(resourcesOf(tf, "google_secret_manager_secret").map((s) => s.secret_id)).not.toContain(
      "gw3cx-archiver-key",
    );
    // The only bucket grants are the daily function's, for mail attachments behind links.
    expect(resourcesOf(tf, "google_storage_bucket_iam_member").map((g) => [g.member, g.role])).toEqual([
      [saMember(tf, "gw3cx-daily-sync"), "roles/storage.objectCreator"],
      [saMember(tf, "gw3cx-daily-sync"), "roles/storage.objectViewer"],
    ]);
    expect(tf.output).not.toHaveProperty("archiver_account");
  });

  it("with it: a dedicated account whose one grant is objectAdmin on the archive bucket, and nothing else changes", () => {
    const archiver = saMember(archiving, "gw3cx-archiver");
    expect(grantsOf(archiving, archiver)).toEqual([`roles/storage.objectAdmin on ${ARCHIVE_BUCKET}`]);
    // Every other grant is exactly the stack's without remote archiving.
    expect(allGrants(archiving).filter((g) => !g.startsWith(`${archiver}: `))).toEqual(allGrants(tf));
    expect(archiving.output.archiver_account?.value).toBe(saRef(archiving, "gw3cx-archiver"));
  });

  it("with it: the secret for the key, replicated automatically, without any version", () => {
    const [, secret] = find(archiving, "google_secret_manager_secret", "secret_id", "gw3cx-archiver-key");
    expect(secret).toMatchObject({ replication: { auto: {} } });
    expect(archiving.resource).not.toHaveProperty("google_secret_manager_secret_version");
  });

  it("no key resource anywhere in the stack: the key never enters Terraform state", () => {
    for (const stack of [tf, archiving]) {
      const types = Object.keys(stack.resource);
      expect(types.filter((t) => t.includes("key") && t !== "google_recaptcha_enterprise_key")).toEqual([]);
      expect(JSON.stringify(stack)).not.toMatch(/google_service_account_key|private_key/);
    }
  });
});
