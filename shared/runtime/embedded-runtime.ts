import { dirname, join } from "node:path";
import { systemClock } from "../adapters/clock/system-clock.js";
import { verifyPushNotification } from "../adapters/google/push-verification.js";
import { EmlOutboxMailer, outboxDirOf } from "../adapters/local/eml-outbox.js";
import { LocalFolderObjectStorage } from "../adapters/local/local-folder-object-storage.js";
import { LocalLinkKey } from "../adapters/local/local-link-key.js";
import { InProcessBus } from "../adapters/memory/in-process-bus.js";
import { TimerBoundaryScheduler } from "../adapters/memory/timer-boundary-scheduler.js";
import { SqliteStateStore } from "../adapters/sqlite/sqlite-state-store.js";
import type { ThreeCxClient } from "../adapters/threecx/client.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import { deadLetterTopicOf, holdSubscriptionOf, MAX_DELIVERY_ATTEMPTS, TOPICS } from "../messaging/topics.js";
import type { Bus, Subscription } from "../ports/bus.js";
import type { ObjectStorage } from "../ports/object-storage.js";
import type { StateStore } from "../ports/state-store.js";
import type { ContactSyncConfig, ContactSyncPorts } from "../usecases/contacts/contact-sync-ports.js";
import { AttachmentLinkingMailer } from "../usecases/mail/attachment-links.js";
import { handleCalendarChange } from "../usecases/presence/handle-calendar-change.js";
import type { PresenceConfig, PresencePortsWithBus } from "../usecases/presence/presence-ports.js";
import { DeadLetterLog } from "../usecases/status/dead-letter-log.js";
import { handleDirectoryChange } from "../usecases/user-sync/handle-directory-change.js";
import type { DirectoryPushPorts } from "../usecases/user-sync/handle-directory-push.js";
import type { UserSyncConfig, UserSyncPorts } from "../usecases/user-sync/user-sync-ports.js";
import { contactSyncConfigFrom } from "./contacts-config.js";
import { presenceConfigFrom } from "./presence-config.js";
import { createThreeCx } from "./threecx-adapter.js";
import { userSyncConfigFrom } from "./user-sync-config.js";
import { createWorkspaceAdapters } from "./workspace-adapters.js";

/** Every port on one machine: SQLite state, an in-process bus, and the Google and 3CX adapters. */
export interface Runtime {
  settings: Settings;
  config: UserSyncConfig;
  userSync: UserSyncPorts & { bus: Bus };
  push: DirectoryPushPorts;
  threecx: ThreeCxClient;
  presenceConfig: PresenceConfig;
  presence: PresencePortsWithBus;
  /** Personal contacts: the People API as each user, 3CX, the state. */
  contacts: ContactSyncPorts;
  contactsConfig: ContactSyncConfig;
  /** Boundary timers; armed by startPresenceWorker once the worker listens. */
  scheduler: TimerBoundaryScheduler;
  /** The bucket on this machine (storage.localDir), or the one the caller passed. */
  objectStorage: ObjectStorage;
  /** Read links of the local folder, served by the local HTTP host; absent for a caller's own storage. */
  storageLinks?: LocalStorageLinks;
  close(): Promise<void>;
}

/** What the local HTTP host needs to serve `/storage/...` links, and to tell the storage where it is. */
export interface LocalStorageLinks {
  key: LocalLinkKey;
  storage: ObjectStorage;
  /** Called once the host listens: links made from then on point at it. */
  servedAt(baseUrl: string): void;
}

/** The per-install key behind local read links, beside the local state: `.gw3cx/storage-link.key`. */
export function storageLinkKeyFileOf(stateDbPath: string): string {
  return join(dirname(stateDbPath), "storage-link.key");
}

export interface EmbeddedRuntimeOptions {
  /** Defaults to settings.embedded.stateDbPath. */
  state?: StateStore;
  bus?: Bus;
  env?: NodeJS.ProcessEnv;
  /** Where mail attachments over 25 MB are kept for their links; default: the folder storage.localDir. */
  objectStorage?: ObjectStorage;
}

/** The single-machine default: the same use cases as the cloud, on embedded adapters. */
export async function createEmbeddedRuntime(
  settings: Settings,
  logger: Logger,
  options: EmbeddedRuntimeOptions = {},
): Promise<Runtime> {
  const state = options.state ?? new SqliteStateStore(settings.embedded.stateDbPath);
  const bus = options.bus ?? new InProcessBus();
  for (const topic of Object.values(TOPICS)) {
    await bus.ensureTopic(topic);
    await bus.ensureTopic(deadLetterTopicOf(topic));
  }
  const workspace = await createWorkspaceAdapters(settings, logger, options.env);
  const { directory, calendar, people } = workspace;
  const { objectStorage, storageLinks } = options.objectStorage
    ? { objectStorage: options.objectStorage, storageLinks: undefined }
    : localObjectStorage(settings);
  // Every message is also kept as an .eml file in the local outbox (`gw3cx status` lists them).
  // Attachments over Gmail's 25 MB become signed links when there is object storage for them.
  const mailer = new AttachmentLinkingMailer(
    {
      mailer: new EmlOutboxMailer(outboxDirOf(settings.embedded.stateDbPath), workspace.mailer, logger),
      storage: objectStorage,
      clock: systemClock,
      logger,
    },
    settings.mail.linkExpiryHours * 3600,
  );
  const threecx = createThreeCx(settings, logger, state, options.env);
  const userSync = { directory, mailer, threecx, state, bus, clock: systemClock, logger };
  // A due boundary goes through the same worker as a calendar notification.
  const scheduler = new TimerBoundaryScheduler(
    state,
    async ({ googleUserId }) => {
      await bus.publish(TOPICS.calendarChanges, { googleUserId }, { reason: "boundary" });
    },
    { logger },
  );
  return {
    settings,
    config: userSyncConfigFrom(settings),
    userSync,
    push: { verifyPush: verifyPushNotification, bus, state, logger },
    threecx,
    contacts: { people, threecx, state, clock: systemClock, logger },
    contactsConfig: contactSyncConfigFrom(settings),
    presenceConfig: presenceConfigFrom(settings),
    presence: { calendar, directory, threecx, state, scheduler, bus, clock: systemClock, logger },
    scheduler,
    objectStorage,
    ...(storageLinks ? { storageLinks } : {}),
    async close() {
      scheduler.close();
      await bus.close();
      await threecx.close();
      await state.close();
    },
  };
}

/** The folder standing in for the bucket, with links the local HTTP host serves once it listens. */
function localObjectStorage(settings: Settings): {
  objectStorage: ObjectStorage;
  storageLinks: LocalStorageLinks;
} {
  const key = LocalLinkKey.atFile(storageLinkKeyFileOf(settings.embedded.stateDbPath));
  let baseUrl: string | undefined;
  const storage = new LocalFolderObjectStorage({
    root: settings.storage.localDir,
    links: { key, baseUrl: () => baseUrl },
  });
  return {
    objectStorage: storage,
    storageLinks: {
      key,
      storage,
      servedAt: (url) => {
        baseUrl = url;
      },
    },
  };
}

/** The user-sync worker as a bus subscriber (what the Pub/Sub-triggered function is in the cloud). */
export function startUserSyncWorker(runtime: Runtime): Promise<Subscription> {
  return runtime.userSync.bus.subscribe(
    {
      topic: TOPICS.directoryChanges,
      name: "gw3cx-user-sync-worker",
      maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
      deadLetterTopic: deadLetterTopicOf(TOPICS.directoryChanges),
    },
    (message) => handleDirectoryChange(message, runtime.userSync, runtime.config),
  );
}

/**
 * Calendar changes decided at once. A decision mostly waits on Google and 3CX, and 3CX stays
 * bounded by threecx.maxInFlight whatever this is, so a burst (a meeting of hundreds moved) is
 * taken in parallel rather than eight at a time.
 */
export const PRESENCE_WORKER_CONCURRENCY = 32;

/**
 * The presence worker as a bus subscriber (calendar notifications, boundary wake-ups, new channels),
 * then the boundary timers recorded by an earlier run re-armed: a restart keeps pending boundaries.
 */
export async function startPresenceWorker(runtime: Runtime): Promise<Subscription> {
  const subscription = await runtime.presence.bus.subscribe(
    {
      topic: TOPICS.calendarChanges,
      name: "gw3cx-presence-worker",
      maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
      deadLetterTopic: deadLetterTopicOf(TOPICS.calendarChanges),
      maxConcurrent: PRESENCE_WORKER_CONCURRENCY,
    },
    (message) => handleCalendarChange(message, runtime.presence, runtime.presenceConfig),
  );
  await runtime.scheduler.start();
  return subscription;
}

/**
 * The single machine's hold subscriptions: every dead-lettered message is recorded in the state
 * store with its reason, where `gw3cx status` and the status page read it (the cloud keeps them on
 * the dead-letter topics' pull subscriptions instead).
 */
export async function startDeadLetterHold(ports: { bus: Bus; state: StateStore }): Promise<Subscription[]> {
  const log = new DeadLetterLog(ports.state);
  return Promise.all(
    Object.values(TOPICS).map((topic) =>
      ports.bus.subscribe(
        { topic: deadLetterTopicOf(topic), name: holdSubscriptionOf(topic) },
        async (message) => {
          await log.record(topic, message);
          return "ack";
        },
      ),
    ),
  );
}
