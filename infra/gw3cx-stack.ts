import { join } from "node:path";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { dependable, GcsBackend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { ALL_DELEGATED_SCOPES } from "../shared/adapters/google/scopes.js";
import { type ArchiveType, GCLOUD_CLIENT_ID } from "../shared/config/schema.js";
import { deadLetterTopicOf, holdSubscriptionOf, TOPICS } from "../shared/messaging/topics.js";
import { Alerts, gw3cxLogEventAlerts } from "./constructs/alerts.js";
import { ProjectApis } from "./constructs/apis.js";
import { ArchiveStorage } from "./constructs/archive-storage.js";
import { ArchiverAccount } from "./constructs/archiver-account.js";
import { CloudFunction } from "./constructs/cloud-function.js";
import { Firestore } from "./constructs/firestore.js";
import { FunctionServiceAccount } from "./constructs/function-service-account.js";
import { FunctionSources } from "./constructs/function-source.js";
import { Messaging } from "./constructs/messaging.js";
import { PresenceBoundaryQueue } from "./constructs/presence-boundary-queue.js";
import { PushDelivery } from "./constructs/push-delivery.js";
import { RecaptchaVerify } from "./constructs/recaptcha-verify.js";
import {
  channelRenewalSchedule,
  dailyDigestSchedule,
  dailySyncSchedule,
  presenceReconcileSchedule,
} from "./constructs/scheduler.js";
import { Secrets } from "./constructs/secrets.js";
import { StatusPageAccess } from "./constructs/status-page-access.js";
import { TranscriptionPipeline } from "./constructs/transcription-pipeline.js";
import { FUNCTION_SIZING } from "./function-sizing.js";
import { FUNCTIONS, type FunctionKey } from "./functions.js";

export { FUNCTIONS, type FunctionKey } from "./functions.js";

/** The folder of the Terraform state in gcp.terraformStateBucket. */
export const STATE_PREFIX = "gw3cx";

/** Environment variables each Secret Manager secret is mounted as; settings refer to them as env:NAME. */
export const SECRET_ENV = {
  threecxClientSecret: "GW3CX_3CX_CLIENT_SECRET_VALUE",
  channelToken: "GW3CX_CHANNEL_TOKEN_VALUE",
} as const;

/**
 * The contacts worker's V8 limits: a smaller young generation and an old-generation cap make V8
 * collect instead of growing, so one user's first sync of 1,000 contacts peaks within the 128 MB a
 * worker is meant to need (BENCHMARKS.md, personal contacts, row 4; 212 MB without them). The cap
 * leaves room for much larger phonebooks: the run itself holds a few MB per thousand contacts.
 */
export const CONTACTS_WORKER_NODE_OPTIONS = "--max-old-space-size=64 --max-semi-space-size=1";

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
  /**
   * mail.digest on: the daily digest's Cloud Scheduler job at mail.digestTime (in timeZone), handled
   * by the daily-sync function, which then reads the dead-letter hold subscriptions.
   */
  digest?: { time: string };
  /** calendarPresence: deploys the per-minute presence reconcile tick. */
  calendarPresence?: boolean;
  /** Who may open the status page (statusPage.admins, the Workspace domain, IAP): see status-page-access.ts. */
  statusPage?: { admins: readonly string[]; workspaceDomain?: string; iap: boolean };
  /**
   * storage.remoteArchiving: the gw3cx-archiver account (objects of the archive bucket only) and the
   * secret for its key; the key itself is made by `gw3cx storage apply`, never by Terraform.
   */
  remoteArchiving?: boolean;
  /** recaptcha.enabled: the Enterprise key for these domains and the verify function. */
  recaptcha?: { domains: readonly string[] };
  /** storage.retentionDays (a delete rule per folder) and mail.linkExpiryHours (how long linked attachments stay). */
  storage?: { retentionDays?: Partial<Record<ArchiveType, number>>; linkExpiryHours?: number };
  /**
   * transcription.enabled: Speech, the bucket notifications and the transcription worker.
   * `delegation` (voicemail mail or languages keyed by email): the worker reaches Workspace.
   */
  transcription?: { delegation: boolean };
  /** gcp.terraformStateBucket: Terraform's state in this bucket (prefix gw3cx); unset, a local file. */
  stateBucket?: string;
  /** alerts.email: the alerts' email notification channel; unset, alerts open in Cloud Monitoring only. */
  alertsEmail?: string;
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
  constructor(scope: Construct, id: string, props: Gw3cxStackProps) {
    super(scope, id);
    // A team shares one state; a local file (cdktf's default) suits one operator's machine.
    if (props.stateBucket) new GcsBackend(this, { bucket: props.stateBucket, prefix: STATE_PREFIX });
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

    const archive = new ArchiveStorage(this, "archive", {
      projectId,
      region,
      ...(props.storage?.retentionDays ? { retentionDays: props.storage.retentionDays } : {}),
      ...(props.storage?.linkExpiryHours ? { linkExpiryHours: props.storage.linkExpiryHours } : {}),
    });
    if (props.remoteArchiving) {
      const archiver = new ArchiverAccount(this, "archiver", { projectId, bucket: archive.bucket });
      new TerraformOutput(this, "archiver_account", {
        value: archiver.account.email,
        description: "The account 3CX archives as; `gw3cx storage apply` gives 3CX a key of it",
      });
    }
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
    // The same webhook receives the calendar channels' notifications.
    webhookSa.publishesTo(messaging.topics[TOPICS.calendarChanges], TOPICS.calendarChanges);
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
    // Held-run notices: an attachment over Gmail's 25 MB waits in the bucket behind a signed link.
    archive.allowAttachmentLinks(dailySyncSa, "daily-sync");

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
    // A task body that can never be handled is dead-lettered by the function itself.
    boundarySa.publishesTo(messaging.deadLetterTopics[calendarChanges], deadLetterTopicOf(calendarChanges));
    // The daily function's presence work: calendar channels (a user's first channel queues a
    // decision on calendar-changes), the nightly resync and the reconcile tick (which apply
    // presence and schedule boundaries).
    dailySyncSa.publishesTo(messaging.topics[calendarChanges], calendarChanges);
    boundaries.allowScheduling(dailySyncSa, "daily-sync");

    // Built from the project number rather than read from the function (the Cloud Run deterministic
    // URL), because the boundary function itself schedules the next boundary: its own URL in its own
    // environment would be a Terraform cycle.
    const boundaryUrl = `https://${FUNCTIONS.presenceBoundary.name}-${project.number}.${region}.run.app`;
    const presenceEnv = {
      GW3CX_PRESENCE_BOUNDARY_URL: boundaryUrl,
      GW3CX_BOUNDARY_INVOKER: boundaries.invokerEmail,
    };

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
      sizing: FUNCTION_SIZING.directoryWebhook,
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
      sizing: FUNCTION_SIZING.userSyncWorker,
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
        ...presenceEnv,
        GW3CX_DIRECTORY_WEBHOOK_URL: webhook.url,
        GW3CX_ARCHIVE_BUCKET: archive.name,
      },
      secrets: [clientSecretEnv, channelTokenEnv],
      sizing: FUNCTION_SIZING.dailySync,
      ingress: "ALLOW_INTERNAL_ONLY",
    });

    const presenceWorker = new CloudFunction(this, "presence-worker", {
      projectId,
      region,
      name: FUNCTIONS.presenceWorker.name,
      description:
        "One user's calendar changed -> 3CX presence now, next boundary queued (gw3cx-calendar-changes)",
      entryPoint: FUNCTIONS.presenceWorker.entryPoint,
      source: source("presenceWorker"),
      serviceAccountEmail: presenceWorkerSa.email,
      environment: { ...baseEnv(presenceWorkerSa), ...clientSecretRef, ...presenceEnv },
      secrets: [clientSecretEnv],
      sizing: FUNCTION_SIZING.presenceWorker,
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
      environment: { ...baseEnv(contactsSa), ...clientSecretRef, NODE_OPTIONS: CONTACTS_WORKER_NODE_OPTIONS },
      secrets: [clientSecretEnv],
      sizing: FUNCTION_SIZING.contactsWorker,
      ingress: "ALLOW_INTERNAL_ONLY",
    });

    const presenceBoundary = new CloudFunction(this, "presence-boundary", {
      projectId,
      region,
      name: FUNCTIONS.presenceBoundary.name,
      description: "Cloud Tasks at a user's next calendar boundary -> 3CX presence now",
      entryPoint: FUNCTIONS.presenceBoundary.entryPoint,
      source: source("presenceBoundary"),
      serviceAccountEmail: boundarySa.email,
      environment: { ...baseEnv(boundarySa), ...clientSecretRef, ...presenceEnv },
      secrets: [clientSecretEnv],
      // Cloud Tasks counts as internal traffic; the invoker's OIDC token is checked by Cloud Run.
      sizing: FUNCTION_SIZING.presenceBoundary,
      ingress: "ALLOW_INTERNAL_ONLY",
    });
    boundaries.deliversTo(presenceBoundary);

    new PushDelivery(this, "presence-delivery", {
      projectId,
      name: `${calendarChanges}-presence-worker`,
      topic: messaging.topics[calendarChanges],
      deadLetterTopic: messaging.deadLetterTopics[calendarChanges],
      target: presenceWorker,
      invokerAccountId: "gw3cx-presence-invoker",
      pubsubServiceAgent,
    });
    new PushDelivery(this, "contacts-delivery", {
      projectId,
      name: `${contactsRequests}-contacts-worker`,
      topic: messaging.topics[contactsRequests],
      deadLetterTopic: messaging.deadLetterTopics[contactsRequests],
      target: contactsWorker,
      invokerAccountId: "gw3cx-contacts-invoker",
      pubsubServiceAgent,
    });

    new PushDelivery(this, "user-sync-delivery", {
      projectId,
      name: `${directoryChanges}-user-sync-worker`,
      topic: messaging.topics[directoryChanges],
      deadLetterTopic: messaging.deadLetterTopics[directoryChanges],
      target: worker,
      invokerAccountId: "gw3cx-user-sync-invoker",
      pubsubServiceAgent,
    });
    new PushDelivery(this, "daily-sync-delivery", {
      projectId,
      name: `${syncRequests}-daily-sync`,
      topic: messaging.topics[syncRequests],
      deadLetterTopic: messaging.deadLetterTopics[syncRequests],
      target: daily,
      invokerAccountId: "gw3cx-daily-sync-invoker",
      pubsubServiceAgent,
    });

    // The status page: reads Firestore and the dead letters; approving a held run applies it, so
    // it also needs what a sync needs (3CX secret, delegation). Only Google-authenticated callers
    // reach it; the function admits only admins (status-page-access.ts, authorize-status-caller.ts).
    const statusPageSa = new FunctionServiceAccount(this, "status-page-sa", {
      projectId,
      accountId: "gw3cx-status-page",
      displayName: "gw3cx status page (Workspace delegation for admin checks and approvals)",
      projectRoles: ["roles/datastore.user"],
      signsJwtAsItself: true,
    });
    statusPageSa.reads(secrets.threecxClientSecret, "threecx-client-secret");
    const statusPageName = FUNCTIONS.statusPage.name;
    const statusPage = new CloudFunction(this, "status-page", {
      projectId,
      region,
      name: statusPageName,
      description: "The status page: runs, held runs (approve), channels, dead letters, presence",
      entryPoint: FUNCTIONS.statusPage.entryPoint,
      source: source("statusPage"),
      serviceAccountEmail: statusPageSa.email,
      environment: {
        ...baseEnv(statusPageSa),
        ...clientSecretRef,
        // The function's own addresses (known before it exists, so no cycle), and gcloud's client
        // id: what `gcloud auth print-identity-token` gives a user, as Cloud Run itself accepts.
        GW3CX_STATUS_ID_TOKEN_AUDIENCES: [
          `https://${region}-${projectId}.cloudfunctions.net/${statusPageName}`,
          `https://${statusPageName}-${project.number}.${region}.run.app`,
          GCLOUD_CLIENT_ID,
        ].join(","),
      },
      secrets: [clientSecretEnv],
      sizing: FUNCTION_SIZING.statusPage,
      ingress: "ALLOW_ALL",
    });
    new StatusPageAccess(this, "status-page-access", {
      projectId,
      projectNumber: project.number,
      page: statusPage,
      account: statusPageSa,
      holdSubscriptions: Object.values(messaging.deadLetterSubscriptions),
      admins: props.statusPage?.admins ?? [],
      ...(props.statusPage?.workspaceDomain ? { workspaceDomain: props.statusPage.workspaceDomain } : {}),
      iap: props.statusPage?.iap ?? false,
    });

    const transcriptionSa = props.transcription
      ? this.transcription(props.transcription, {
          projectId,
          region,
          bucket: archive.bucket,
          messaging,
          source: source("transcriptionWorker"),
          environment: (sa) => baseEnv(sa),
          pubsubServiceAgent,
        })
      : undefined;

    const schedulePlacement = { projectId, region, topic: messaging.topics[syncRequests] };
    dailySyncSchedule(this, schedulePlacement, props.syncTime, props.timeZone);
    channelRenewalSchedule(this, schedulePlacement);
    // The tick wakes the daily function every minute: only worth paying for with presence on.
    if (props.calendarPresence) presenceReconcileSchedule(this, schedulePlacement);
    if (props.digest) {
      dailyDigestSchedule(this, schedulePlacement, props.digest.time, props.timeZone);
      // The digest lists the day's dead letters, read as the status page reads them (pull, hand back).
      for (const [topic, hold] of Object.entries(messaging.deadLetterSubscriptions))
        dailySyncSa.pullsFrom(hold, `hold-${topic}`);
    }

    if (props.recaptcha) {
      const recaptcha = new RecaptchaVerify(this, "recaptcha", {
        projectId,
        region,
        domains: props.recaptcha.domains,
        name: FUNCTIONS.recaptchaVerify.name,
        entryPoint: FUNCTIONS.recaptchaVerify.entryPoint,
        source: source("recaptchaVerify"),
        environment: { ...props.settingsEnv, GW3CX_GCP_PROJECT: projectId, GW3CX_GCP_REGION: region },
      });
      new TerraformOutput(this, "recaptcha_site_key", {
        value: recaptcha.key.name,
        description: "recaptcha.siteKey: the key the customer's pages load (grecaptcha.enterprise)",
      });
      new TerraformOutput(this, "recaptcha_verify_url", {
        value: recaptcha.fn.url,
        description: "Where the customer's forms POST {token, action} to be checked",
      });
    }

    new TerraformOutput(this, "archive_bucket", {
      value: archive.name,
      description:
        "storage.bucket (GW3CX_ARCHIVE_BUCKET): recordings, voicemails, transcripts, linked mail attachments",
    });
    new TerraformOutput(this, "directory_webhook_url", {
      value: webhook.url,
      description: "GW3CX_DIRECTORY_WEBHOOK_URL: where the Directory watch channels deliver",
    });
    new TerraformOutput(this, "status_page_url", {
      value: statusPage.url,
      description: "The status page (Workspace admins only: IAP or a Google ID token)",
    });
    new TerraformOutput(this, "delegation_client_ids", {
      value: [
        userSyncSa,
        dailySyncSa,
        presenceWorkerSa,
        boundarySa,
        statusPageSa,
        contactsSa,
        ...(transcriptionSa && props.transcription?.delegation ? [transcriptionSa] : []),
      ].map((sa) => ({
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

    new Alerts(this, "alerts", {
      projectId,
      ...(props.alertsEmail ? { email: props.alertsEmail } : {}),
      logEvents: gw3cxLogEventAlerts(FUNCTIONS.dailySync.name),
      holdSubscriptions: Object.values(TOPICS).map(holdSubscriptionOf),
    });

    apis.requiredBy(this);
  }

  /**
   * Recordings and voicemails -> transcripts: bucket notifications into gw3cx-recordings, pushed to
   * the worker. The worker waits on Speech's batchRecognize for long audio (up to 9 min, the
   * SpeechV2Transcriber's budget), so its timeout and the subscription's ack deadline are Pub/Sub's
   * maximum, 600 s; a recording that needs longer is redelivered and dead-lettered in the end.
   * maxInstances x concurrency bounds the concurrent Speech requests (quota) and operations.
   */
  private transcription(
    options: { delegation: boolean },
    wiring: {
      projectId: string;
      region: string;
      bucket: ArchiveStorage["bucket"];
      messaging: Messaging;
      source: ReturnType<FunctionSources["archive"]>;
      environment: (sa: FunctionServiceAccount) => Record<string, string>;
      pubsubServiceAgent: string;
    },
  ): FunctionServiceAccount {
    const recordings = TOPICS.recordings;
    const pipeline = new TranscriptionPipeline(this, "transcription", {
      projectId: wiring.projectId,
      bucket: wiring.bucket,
      topic: wiring.messaging.topics[recordings],
      deadLetterTopic: wiring.messaging.deadLetterTopics[recordings],
      delegation: options.delegation,
    });
    const worker = new CloudFunction(this, "transcription-worker", {
      projectId: wiring.projectId,
      region: wiring.region,
      name: FUNCTIONS.transcriptionWorker.name,
      description:
        "A new recording or voicemail -> its transcript beside it (gw3cx-recordings, Speech-to-Text v2)",
      entryPoint: FUNCTIONS.transcriptionWorker.entryPoint,
      source: wiring.source,
      serviceAccountEmail: pipeline.account.email,
      environment: { ...wiring.environment(pipeline.account), GW3CX_ARCHIVE_BUCKET: wiring.bucket.name },
      secrets: [],
      sizing: FUNCTION_SIZING.transcriptionWorker,
      ingress: "ALLOW_INTERNAL_ONLY",
    });
    worker.fn.dependsOn = [dependable(pipeline.speechApi)];
    new PushDelivery(this, "transcription-delivery", {
      projectId: wiring.projectId,
      name: `${recordings}-transcription-worker`,
      topic: wiring.messaging.topics[recordings],
      deadLetterTopic: wiring.messaging.deadLetterTopics[recordings],
      target: worker,
      invokerAccountId: "gw3cx-transcription-invoker",
      pubsubServiceAgent: wiring.pubsubServiceAgent,
    });
    return pipeline.account;
  }
}
