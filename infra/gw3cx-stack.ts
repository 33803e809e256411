import { join } from "node:path";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { ALL_DELEGATED_SCOPES } from "../shared/adapters/google/scopes.js";
import { deadLetterTopicOf, TOPICS } from "../shared/messaging/topics.js";
import { ProjectApis } from "./constructs/apis.js";
import { ArchiveStorage } from "./constructs/archive-storage.js";
import { CloudFunction } from "./constructs/cloud-function.js";
import { Firestore } from "./constructs/firestore.js";
import { FunctionServiceAccount } from "./constructs/function-service-account.js";
import { FunctionSources } from "./constructs/function-source.js";
import { Messaging } from "./constructs/messaging.js";
import { PresenceBoundaryQueue } from "./constructs/presence-boundary-queue.js";
import { PushDelivery } from "./constructs/push-delivery.js";
import {
  channelRenewalSchedule,
  dailySyncSchedule,
  presenceReconcileSchedule,
} from "./constructs/scheduler.js";
import { Secrets } from "./constructs/secrets.js";

/** The functions: Cloud Functions name, Functions Framework entry point, `npm run build` folder. */
export const FUNCTIONS = {
  directoryWebhook: {
    name: "gw3cx-directory-webhook",
    entryPoint: "directoryWebhook",
    build: "directory-webhook",
  },
  userSyncWorker: { name: "gw3cx-user-sync-worker", entryPoint: "userSyncWorker", build: "user-sync-worker" },
  dailySync: { name: "gw3cx-daily-sync", entryPoint: "dailySync", build: "daily-sync" },
  contactsWorker: { name: "gw3cx-contacts-worker", entryPoint: "contactsWorker", build: "contacts-worker" },
} as const;

export type FunctionKey = keyof typeof FUNCTIONS;

/** Environment variables each Secret Manager secret is mounted as; settings refer to them as env:NAME. */
export const SECRET_ENV = {
  threecxClientSecret: "GW3CX_3CX_CLIENT_SECRET_VALUE",
  channelToken: "GW3CX_CHANNEL_TOKEN_VALUE",
} as const;

export interface Gw3cxStackProps {
  /** Default region for every regional resource. */
  region: string;
  /** GW_SYNC_TIME, "HH:MM:SS" in timeZone: when the daily full sync runs. */
  syncTime: string;
  /** IANA time zone of syncTime, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Firestore location (region or multi-region); defaults to region. Fixed once created. */
  firestoreLocation?: string;
  /**
   * Settings every function reads at start-up, as environment variables (settingsToFunctionEnv).
   * Infra adds the project, region, the function's own account, the secret references and the
   * webhook URL itself.
   */
  settingsEnv?: Record<string, string>;
  /** calendarPresence: deploys the per-minute presence reconcile tick. */
  calendarPresence?: boolean;
  /** Where `npm run build` writes dist/functions/NAME/; defaults to dist/functions. */
  functionSourceDir?: string;
  /**
   * Fail the synth when an artifact is not built (what `npx cdktf synth` wants, so a deploy never
   * uploads stale or missing code); unit tests of the stack's shape leave it off.
   */
  requireBuiltSources?: boolean;
}

/** Everything gw3cx needs in the customer's project; the project id is a Terraform variable. */
export class Gw3cxStack extends TerraformStack {
  /** Presence (issue 17): the boundary queue and the accounts its functions run as. */
  readonly presence: {
    boundaries: PresenceBoundaryQueue;
    workerAccount: FunctionServiceAccount;
    boundaryAccount: FunctionServiceAccount;
  };

  constructor(scope: Construct, id: string, props: Gw3cxStackProps) {
    super(scope, id);
    const projectIdVar = new TerraformVariable(this, "project_id", {
      type: "string",
      description: "The Google Cloud project gw3cx is deployed into",
    });
    const projectId = projectIdVar.stringValue;
    const { region } = props;
    new GoogleProvider(this, "google", { project: projectId, region });

    const apis = new ProjectApis(this, "apis", { projectId });
    const project = new DataGoogleProject(this, "project", { projectId });
    const pubsubServiceAgent = `serviceAccount:service-${project.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;

    new ArchiveStorage(this, "archive", { projectId, region });
    new Firestore(this, "firestore", { projectId, location: props.firestoreLocation ?? region });
    const { secrets } = new Secrets(this, "secrets");
    const messaging = new Messaging(this, "messaging", { pubsubServiceAgent });
    const sources = new FunctionSources(this, "function-sources", {
      projectId,
      region,
      requireBuilt: props.requireBuiltSources ?? false,
    });
    const sourceDir = props.functionSourceDir ?? "dist/functions";
    const source = (key: FunctionKey) =>
      sources.archive(FUNCTIONS[key].build, join(sourceDir, FUNCTIONS[key].build));

    const directoryChanges = TOPICS.directoryChanges;
    const syncRequests = TOPICS.syncRequests;

    // One identity per function, each with only what its code uses.
    const webhookSa = new FunctionServiceAccount(this, "webhook-sa", {
      projectId,
      accountId: "gw3cx-webhook",
      displayName: "gw3cx directory webhook",
      projectRoles: ["roles/datastore.user"],
    });
    webhookSa.publishesTo(messaging.topics[directoryChanges], directoryChanges);
    webhookSa.reads(secrets.channelToken, "channel-token");

    const userSyncSa = new FunctionServiceAccount(this, "user-sync-sa", {
      projectId,
      accountId: "gw3cx-user-sync",
      displayName: "gw3cx user-sync worker (Workspace delegation)",
      projectRoles: ["roles/datastore.user"],
      signsJwtAsItself: true,
    });
    userSyncSa.reads(secrets.threecxClientSecret, "threecx-client-secret");
    // Malformed messages are acked to the dead-letter topic by the worker itself.
    userSyncSa.publishesTo(messaging.deadLetterTopics[directoryChanges], deadLetterTopicOf(directoryChanges));

    const dailySyncSa = new FunctionServiceAccount(this, "daily-sync-sa", {
      projectId,
      accountId: "gw3cx-daily-sync",
      displayName: "gw3cx daily sync (Workspace delegation)",
      projectRoles: ["roles/datastore.user"],
      signsJwtAsItself: true,
    });
    dailySyncSa.reads(secrets.threecxClientSecret, "threecx-client-secret");
    dailySyncSa.reads(secrets.channelToken, "channel-token");
    // A malformed sync request is acked to the dead-letter topic by the function itself.
    dailySyncSa.publishesTo(messaging.deadLetterTopics[syncRequests], deadLetterTopicOf(syncRequests));

    // Personal contacts: the daily function publishes one request per user; the worker reads that
    // user's contacts by delegation (contacts.readonly) and writes their 3CX phonebook.
    const contactsRequests = TOPICS.contactsRequests;
    dailySyncSa.publishesTo(messaging.topics[contactsRequests], contactsRequests);
    const contactsSa = new FunctionServiceAccount(this, "contacts-worker-sa", {
      projectId,
      accountId: "gw3cx-contacts",
      displayName: "gw3cx contacts worker (Workspace delegation)",
      projectRoles: ["roles/datastore.user"],
      signsJwtAsItself: true,
    });
    contactsSa.reads(secrets.threecxClientSecret, "threecx-client-secret");
    // Malformed messages are acked to the dead-letter topic by the worker itself.
    contactsSa.publishesTo(messaging.deadLetterTopics[contactsRequests], deadLetterTopicOf(contactsRequests));

    // Presence: a worker that reads calendar changes and a boundary function that Cloud Tasks calls
    // at each user's next boundary. Both read calendars by delegation, write 3CX, keep per-user
    // state in Firestore and schedule the next boundary on the queue.
    const calendarChanges = TOPICS.calendarChanges;
    const boundaries = new PresenceBoundaryQueue(this, "presence-boundaries", {
      projectId,
      region,
      invokerAccountId: "gw3cx-boundary-invoker",
    });
    const presenceWorkerSa = new FunctionServiceAccount(this, "presence-worker-sa", {
      projectId,
      accountId: "gw3cx-presence-worker",
      displayName: "gw3cx presence worker (Workspace delegation)",
      projectRoles: ["roles/datastore.user"],
      signsJwtAsItself: true,
    });
    presenceWorkerSa.reads(secrets.threecxClientSecret, "threecx-client-secret");
    // Malformed messages are acked to the dead-letter topic by the worker itself.
    presenceWorkerSa.publishesTo(
      messaging.deadLetterTopics[calendarChanges],
      deadLetterTopicOf(calendarChanges),
    );
    boundaries.allowScheduling(presenceWorkerSa, "presence-worker");
    const boundarySa = new FunctionServiceAccount(this, "presence-boundary-sa", {
      projectId,
      accountId: "gw3cx-presence-boundary",
      displayName: "gw3cx presence boundary (Workspace delegation)",
      projectRoles: ["roles/datastore.user"],
      signsJwtAsItself: true,
    });
    boundarySa.reads(secrets.threecxClientSecret, "threecx-client-secret");
    boundaries.allowScheduling(boundarySa, "presence-boundary");
    this.presence = { boundaries, workerAccount: presenceWorkerSa, boundaryAccount: boundarySa };

    const baseEnv = (sa: FunctionServiceAccount): Record<string, string> => ({
      ...props.settingsEnv,
      GW3CX_GCP_PROJECT: projectId,
      GW3CX_GCP_REGION: region,
      // Delegation signs as the function's own account.
      GW3CX_GOOGLE_SERVICE_ACCOUNT: sa.email,
    });
    const channelTokenRef = { GW3CX_GOOGLE_CHANNEL_TOKEN: `env:${SECRET_ENV.channelToken}` };
    const clientSecretRef = { GW3CX_3CX_CLIENT_SECRET: `env:${SECRET_ENV.threecxClientSecret}` };
    const channelTokenEnv = { env: SECRET_ENV.channelToken, secret: secrets.channelToken };
    const clientSecretEnv = { env: SECRET_ENV.threecxClientSecret, secret: secrets.threecxClientSecret };

    const webhook = new CloudFunction(this, "directory-webhook", {
      projectId,
      region,
      name: FUNCTIONS.directoryWebhook.name,
      description: "Google Directory push notifications -> gw3cx-directory-changes",
      entryPoint: FUNCTIONS.directoryWebhook.entryPoint,
      source: source("directoryWebhook"),
      serviceAccountEmail: webhookSa.email,
      environment: { ...baseEnv(webhookSa), ...channelTokenRef },
      secrets: [channelTokenEnv],
      timeoutSeconds: 60,
      maxInstances: 10,
      memory: "256M",
      ingress: "ALLOW_ALL",
      publicInvoker: true,
    });

    const worker = new CloudFunction(this, "user-sync-worker", {
      projectId,
      region,
      name: FUNCTIONS.userSyncWorker.name,
      description: "One changed Workspace user -> 3CX (gw3cx-directory-changes)",
      entryPoint: FUNCTIONS.userSyncWorker.entryPoint,
      source: source("userSyncWorker"),
      serviceAccountEmail: userSyncSa.email,
      environment: { ...baseEnv(userSyncSa), ...clientSecretRef },
      secrets: [clientSecretEnv],
      timeoutSeconds: 540,
      // With threecx.maxInFlight requests each, this bounds the load on the 3CX API.
      maxInstances: 5,
      memory: "512M",
      ingress: "ALLOW_INTERNAL_ONLY",
    });

    const daily = new CloudFunction(this, "daily-sync", {
      projectId,
      region,
      name: FUNCTIONS.dailySync.name,
      description: "Daily full reconcile and channel renewal (gw3cx-sync-requests)",
      entryPoint: FUNCTIONS.dailySync.entryPoint,
      source: source("dailySync"),
      serviceAccountEmail: dailySyncSa.email,
      environment: {
        ...baseEnv(dailySyncSa),
        ...clientSecretRef,
        ...channelTokenRef,
        GW3CX_DIRECTORY_WEBHOOK_URL: webhook.url,
      },
      secrets: [clientSecretEnv, channelTokenEnv],
      timeoutSeconds: 540,
      // One full reconcile at a time.
      maxInstances: 1,
      memory: "512M",
      ingress: "ALLOW_INTERNAL_ONLY",
    });

    const contactsWorker = new CloudFunction(this, "contacts-worker", {
      projectId,
      region,
      name: FUNCTIONS.contactsWorker.name,
      description: "One user's labelled Google contacts -> their 3CX phonebook (gw3cx-contacts-requests)",
      entryPoint: FUNCTIONS.contactsWorker.entryPoint,
      source: source("contactsWorker"),
      serviceAccountEmail: contactsSa.email,
      environment: { ...baseEnv(contactsSa), ...clientSecretRef },
      secrets: [clientSecretEnv],
      timeoutSeconds: 540,
      // With threecx.maxInFlight requests each, this bounds the load on the 3CX API.
      maxInstances: 5,
      memory: "512M",
      ingress: "ALLOW_INTERNAL_ONLY",
    });
    new PushDelivery(this, "contacts-delivery", {
      projectId,
      name: `${contactsRequests}-contacts-worker`,
      topic: messaging.topics[contactsRequests],
      deadLetterTopic: messaging.deadLetterTopics[contactsRequests],
      target: contactsWorker,
      invokerAccountId: "gw3cx-contacts-invoker",
      pubsubServiceAgent,
      ackDeadlineSeconds: 600,
    });

    new PushDelivery(this, "user-sync-delivery", {
      projectId,
      name: `${directoryChanges}-user-sync-worker`,
      topic: messaging.topics[directoryChanges],
      deadLetterTopic: messaging.deadLetterTopics[directoryChanges],
      target: worker,
      invokerAccountId: "gw3cx-user-sync-invoker",
      pubsubServiceAgent,
      ackDeadlineSeconds: 600,
    });
    new PushDelivery(this, "daily-sync-delivery", {
      projectId,
      name: `${syncRequests}-daily-sync`,
      topic: messaging.topics[syncRequests],
      deadLetterTopic: messaging.deadLetterTopics[syncRequests],
      target: daily,
      invokerAccountId: "gw3cx-daily-sync-invoker",
      pubsubServiceAgent,
      ackDeadlineSeconds: 600,
    });

    const schedulePlacement = { projectId, region, topic: messaging.topics[syncRequests] };
    dailySyncSchedule(this, schedulePlacement, props.syncTime, props.timeZone);
    channelRenewalSchedule(this, schedulePlacement);
    // The tick wakes the daily function every minute: only worth paying for with presence on.
    if (props.calendarPresence) presenceReconcileSchedule(this, schedulePlacement);

    new TerraformOutput(this, "directory_webhook_url", {
      value: webhook.url,
      description: "GW3CX_DIRECTORY_WEBHOOK_URL: where the Directory watch channels deliver",
    });
    new TerraformOutput(this, "delegation_client_ids", {
      value: [userSyncSa, dailySyncSa, presenceWorkerSa, boundarySa, contactsSa].map((sa) => ({
        account: sa.email,
        clientId: sa.account.uniqueId,
      })),
      description:
        "Admin console > Security > API controls > Domain-wide delegation: authorize each client id with delegation_scopes",
    });
    new TerraformOutput(this, "delegation_scopes", {
      value: ALL_DELEGATED_SCOPES.join(","),
      description:
        "The OAuth scopes to enter with each client id (comma-separated, as the Admin console takes them)",
    });

    apis.requiredBy(this);
  }
}
