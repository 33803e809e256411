import { rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadSettings, mergeInto } from "../config/load-settings.js";
import { resolveSecret } from "../config/resolve-secret.js";
import type { Settings } from "../config/schema.js";
import { Gw3cxError } from "../errors.js";
import { createLogger, type Logger } from "../logging/logger.js";
import type { Subscription } from "../ports/bus.js";
import type { Clock } from "../ports/clock.js";
import { scheduledDigestConfigFrom } from "../runtime/digest-config.js";
import { type DigestTimer, startDigestTimer } from "../runtime/digest-timer.js";
import {
  createEmbeddedRuntime,
  type Runtime,
  startDeadLetterHold,
  startPresenceWorker,
  startUserSyncWorker,
} from "../runtime/embedded-runtime.js";
import { type LocalHost, startLocalHost } from "../runtime/local-http-host.js";
import { type LocalTranscription, startLocalTranscription } from "../runtime/local-transcription.js";
import { requireSetting } from "../runtime/require-setting.js";
import { statusConfigFrom } from "../runtime/status-config.js";
import {
  renewDirectoryChannels,
  TICK_RENEW_WITHIN_MS,
} from "../usecases/channels/renew-directory-channels.js";

/** How often a local stack checks its Directory channels (the cloud tick is every 3 hours). */
const LOCAL_RENEWAL_INTERVAL_MS = 60 * 60 * 1000;
/** The presence reconcile tick: a lost boundary timer is repaired within this. */
const LOCAL_PRESENCE_TICK_MS = 60 * 1000;
/** The nightly run's users-then-contacts, for a local stack that stays up: once a day from start. */
const LOCAL_DAILY_INTERVAL_MS = 24 * 60 * 60 * 1000;

import { type SyncAllContactsResult, syncAllContacts } from "../usecases/contacts/sync-all-contacts.js";
import { maintainCalendarChannels } from "../usecases/presence/calendar-channels.js";
import { reconcilePresence } from "../usecases/presence/reconcile-presence.js";
import { DeadLetterLog } from "../usecases/status/dead-letter-log.js";
import { type SyncAllUsersResult, syncAllUsers } from "../usecases/user-sync/sync-all-users.js";
import {
  localStackRecordPath,
  readLocalStackRecord,
  removeLocalStackRecord,
  settingsToRecord,
  writeLocalStackRecord,
} from "./local-stack-record.js";

export interface LocalStack {
  settings: Settings;
  runtime: Runtime;
  host: LocalHost;
  firstSync: SyncAllUsersResult;
  /** The first contacts run, when syncPersonalContacts is on. */
  firstContacts?: SyncAllContactsResult;
  /** The storage folder's watcher and the transcription worker, when transcription.enabled. */
  transcription?: LocalTranscription;
  /** Present when no real tenant was configured and the bundled simulators run. */
  simulators?: { googleUrl: string; threecxUrl: string };
  /** The daily digest's timer (mail.digestTime; the cloud's Cloud Scheduler job). */
  digestTimer: DigestTimer;
  close(): Promise<void>;
}

export interface StartLocalOptions {
  env?: NodeJS.ProcessEnv;
  port?: number;
  logger?: Logger;
  /** Settings on top of the environment's (tests). */
  base?: Record<string, unknown>;
  /** The time the digest timer goes by (tests put mail.digestTime a moment ahead); the system's by default. */
  clock?: Clock;
}

/**
 * `npm start`: everything on one machine. Without a configured 3CX (threecx.url) it starts the
 * bundled Workspace and 3CX simulators with a demo organisation; then it hosts the functions on
 * the embedded adapters, opens the Directory watch channels, runs the first sync and keeps serving.
 * While it runs, `local.json` beside the state file tells `gw3cx plan | sync | status` in another
 * terminal where it runs (see local-stack-record.ts); close() removes it.
 */
export async function startLocal(options: StartLocalOptions = {}): Promise<LocalStack> {
  const env = { ...(options.env ?? process.env) };
  const probe = loadSettings({ env, base: options.base });
  const recordPath = localStackRecordPath(probe);
  const running = readLocalStackRecord(recordPath);
  if (running.found) {
    throw new Gw3cxError(
      "LOCAL_STACK_RUNNING",
      `gw3cx is already running here (process ${running.record.pid}, status page ${running.record.statusUrl}); stop it first or set GW3CX_STATE_DB to another directory`,
      { details: { pid: running.record.pid } },
    );
  }
  const logger = options.logger ?? createLogger({ component: "gw3cx-local" }, { level: probe.logLevel });
  let simulators: { close(): Promise<void>; googleUrl: string; threecxUrl: string } | undefined;
  let base = options.base;
  if (!probe.threecx.url) {
    // Loaded only here: the simulators are the local demo, never part of a deployed function.
    const { startDemoSimulators } = await import("../simulators/demo/start-demo-simulators.js");
    const demo = await startDemoSimulators();
    simulators = { close: demo.close, googleUrl: demo.google.url, threecxUrl: demo.threecx.url };
    Object.assign(env, demo.env);
    base = structuredClone(demo.settings);
    mergeInto(base, options.base ?? {});
  }
  const loaded = loadSettings({ env, base });
  // The simulators start empty every time, so state left from an earlier run would link users
  // to 3CX ids that no longer exist. Demo state therefore lives in its own file, fresh per start,
  // and a real tenant's state file is never touched.
  const settings: Settings = simulators
    ? { ...loaded, embedded: { ...loaded.embedded, stateDbPath: freshDemoStatePath(loaded) } }
    : loaded;
  const runtime = await createEmbeddedRuntime(settings, logger, { env });
  const channelToken = resolveSecret(
    requireSetting(settings.google.channelToken, "google.channelToken", "env:NAME of the channel token"),
    "google.channelToken",
    env,
  );
  const host = await startLocalHost(
    runtime,
    channelToken,
    options.port ?? 0,
    statusConfigFrom(settings, { host: "local", simulators: simulators !== undefined }),
  );
  let worker: Subscription | undefined;
  let presenceWorker: Subscription | undefined;
  let deadLetterHold: Subscription[] = [];
  let transcription: LocalTranscription | undefined;
  let renewalTimer: NodeJS.Timeout | undefined;
  let presenceTick: NodeJS.Timeout | undefined;
  let dailyTimer: NodeJS.Timeout | undefined;
  let digestTimer: DigestTimer | undefined;
  const stop = async () => {
    digestTimer?.close();
    clearInterval(dailyTimer);
    clearInterval(renewalTimer);
    clearInterval(presenceTick);
    removeLocalStackRecord(recordPath);
    await transcription?.close();
    await presenceWorker?.close();
    await Promise.all(deadLetterHold.map((s) => s.close()));
    await worker?.close();
    await host.close();
    await runtime.close();
    await simulators?.close();
  };
  try {
    deadLetterHold = await startDeadLetterHold(runtime.userSync);
    worker = await startUserSyncWorker(runtime);
    const channelPorts = {
      directory: runtime.userSync.directory,
      state: runtime.userSync.state,
      clock: runtime.userSync.clock,
      logger,
    };
    await renewDirectoryChannels(channelPorts, { webhookUrl: host.webhookUrl, channelToken, force: true });
    // The cloud's renewal tick (Cloud Scheduler every 3 hours), for a long-running local stack.
    const calendarChannels = () =>
      maintainCalendarChannels(runtime.presence, {
        calendarPresence: runtime.presenceConfig.calendarPresence,
        webhookUrl: host.webhookUrl,
        channelToken,
      });
    renewalTimer = setInterval(() => {
      renewDirectoryChannels(channelPorts, {
        webhookUrl: host.webhookUrl,
        channelToken,
        renewWithinMs: TICK_RENEW_WITHIN_MS,
      }).catch((error: unknown) => logger.event("directoryChannelRenewalFailed", { error }));
      calendarChannels().catch((error: unknown) =>
        logger.event("calendarChannelMaintenanceFailed", { error }),
      );
    }, LOCAL_RENEWAL_INTERVAL_MS);
    renewalTimer.unref();
    const firstSync = await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
    // Contacts need the links the first sync made; Google has no push for them, so once a day after.
    const contactsRun = () =>
      runtime.contactsConfig.syncPersonalContacts
        ? syncAllContacts(runtime.contacts, runtime.contactsConfig, { trigger: "daily" })
        : Promise.resolve(undefined);
    const firstContacts = await contactsRun();
    dailyTimer = setInterval(() => {
      syncAllUsers(runtime.userSync, runtime.config, { trigger: "daily" })
        .then(contactsRun)
        .catch((error: unknown) => logger.event("contactsRunFailed", { error }));
    }, LOCAL_DAILY_INTERVAL_MS);
    dailyTimer.unref();
    // Presence needs the links the first sync made: worker (and the timers of an earlier run), the
    // calendar channels (each new one queues its user's first decision), then the tick.
    presenceWorker = await startPresenceWorker(runtime);
    await calendarChannels();
    presenceTick = setInterval(() => {
      reconcilePresence(runtime.presence, runtime.presenceConfig).catch((error: unknown) =>
        logger.event("presenceTickFailed", { error }),
      );
    }, LOCAL_PRESENCE_TICK_MS);
    presenceTick.unref();
    // Recordings and voicemails dropped into storage.localDir are transcribed beside themselves.
    if (settings.transcription.enabled) transcription = await startLocalTranscription(runtime);
    // The daily digest (a Cloud Scheduler job in the cloud): the local dead-letter log, the outbox mailer.
    digestTimer = startDigestTimer(
      {
        ...runtime.userSync,
        clock: options.clock ?? runtime.userSync.clock,
        deadLetters: new DeadLetterLog(runtime.userSync.state),
      },
      scheduledDigestConfigFrom(settings),
    );
    writeLocalStackRecord(recordPath, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      statusUrl: host.url,
      webhookUrl: host.webhookUrl,
      ...(simulators
        ? { simulators: { googleUrl: simulators.googleUrl, threecxUrl: simulators.threecxUrl } }
        : {}),
      settings: settingsToRecord(settings),
    });
    return {
      settings,
      runtime,
      host,
      firstSync,
      ...(firstContacts ? { firstContacts } : {}),
      ...(transcription ? { transcription } : {}),
      simulators: simulators && { googleUrl: simulators.googleUrl, threecxUrl: simulators.threecxUrl },
      digestTimer,
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function freshDemoStatePath(settings: Settings): string {
  // Absolute, so the record points at it whatever directory `gw3cx` is run from.
  const path = resolve(dirname(settings.embedded.stateDbPath), "demo-state.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  return path;
}
