import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InProcessBus } from "../../../shared/adapters/memory/in-process-bus.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import type { BusMessage, Subscription } from "../../../shared/ports/bus.js";
import type { ObjectStorage } from "../../../shared/ports/object-storage.js";
import type { ThreeCxUser } from "../../../shared/ports/threecx.js";
import {
  createEmbeddedRuntime,
  type Runtime,
  startUserSyncWorker,
} from "../../../shared/runtime/embedded-runtime.js";
import { type LocalHost, startLocalHost } from "../../../shared/runtime/local-http-host.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { TenantSeed } from "../../../shared/simulators/google/seed.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";
import { renewDirectoryChannels } from "../../../shared/usecases/channels/renew-directory-channels.js";
import { type SyncAllUsersOptions, syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { capturedLogger } from "../../support/captured-logger.js";

/** A 3CX user as the simulator's state holds it: the fields the tests look at. */
export type PbxUserView = Pick<
  ThreeCxUser,
  "Id" | "Number" | "FirstName" | "LastName" | "EmailAddress" | "Mobile" | "Enabled"
>;

/**
 * Everything `npm start` runs, inside a test: both simulators, the embedded runtime (SQLite + the
 * in-process bus), the webhook host, the user-sync worker and open Directory channels.
 */
export interface EmbeddedWorld {
  sims: DemoSimulators;
  runtime: Runtime;
  host: LocalHost;
  channelToken: string;
  /** Every log line gw3cx wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Every message the webhook published to directory-changes. */
  published: BusMessage[];
  sync(options?: Partial<SyncAllUsersOptions>): ReturnType<typeof syncAllUsers>;
  pbxUsers(): PbxUserView[];
  pbxUserByEmail(email: string): PbxUserView | undefined;
  writes(): number;
  close(): Promise<void>;
}

export async function startEmbeddedWorld(
  options: {
    google?: TenantSeed;
    threecx?: ThreeCxSeed;
    settings?: Record<string, unknown>;
    objectStorage?: ObjectStorage;
  } = {},
): Promise<EmbeddedWorld> {
  const sims = await startDemoSimulators({ google: options.google, threecx: options.threecx });
  const env: Record<string, string> = { ...sims.env, METADATA_SERVER_DETECTION: "none" };
  const stateDir = mkdtempSync(join(tmpdir(), "gw3cx-e2e-"));
  const stateDbPath = join(stateDir, "state.db");
  const settings = loadSettings({
    env,
    base: {
      ...sims.settings,
      ...options.settings,
      embedded: { stateDbPath },
      // The local bucket beside the state, never the working directory's .gw3cx/storage.
      storage: { localDir: join(stateDir, "storage"), ...(options.settings?.storage as object) },
      threecx: { ...(sims.settings.threecx as object), maxRetries: 6 },
    },
  });
  const { logger, lines: logs } = capturedLogger("e2e");
  const runtime = await createEmbeddedRuntime(settings, logger, {
    env,
    bus: new InProcessBus({ redeliveryDelayMs: 30 }),
    objectStorage: options.objectStorage,
  });
  const channelToken = env.GW3CX_DEMO_CHANNEL_TOKEN as string;
  const host = await startLocalHost(runtime, channelToken);
  const published: BusMessage[] = [];
  const spy: Subscription = await runtime.userSync.bus.subscribe(
    { topic: TOPICS.directoryChanges, name: "e2e-spy" },
    async (m) => {
      published.push(m);
      return "ack";
    },
  );
  const worker = await startUserSyncWorker(runtime);
  await renewDirectoryChannels(
    {
      directory: runtime.userSync.directory,
      state: runtime.userSync.state,
      clock: runtime.userSync.clock,
      logger,
    },
    { webhookUrl: host.webhookUrl, channelToken, force: true },
  );
  const view = (u: Record<string, unknown>): PbxUserView => u as unknown as PbxUserView;
  return {
    sims,
    runtime,
    host,
    channelToken,
    published,
    logs,
    sync: (o = {}) => syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual", ...o }),
    pbxUsers: () => [...sims.threecx.state.users.values()].map(view),
    pbxUserByEmail: (email) =>
      [...sims.threecx.state.users.values()]
        .map(view)
        .find((u) => u.EmailAddress?.toLowerCase() === email.toLowerCase()),
    writes: () => {
      const r = sims.threecx.stats.requests;
      return (r.CreateUser ?? 0) + (r.UpdateUser ?? 0);
    },
    async close() {
      await worker.close();
      await spy.close();
      await host.close();
      await runtime.close();
      await sims.close();
    },
  };
}
