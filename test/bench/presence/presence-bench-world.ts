/**
 * The single-machine stack with presence on, for the presence benchmarks: both simulators in this
 * process (N Workspace users and the same N people on 3CX), the embedded runtime on a SQLite file,
 * the local webhook host, every user linked by one sync, a Calendar channel on every calendar, a
 * first presence decision stored for everyone, then the presence worker listening. The bus is the
 * in-process one unless another is passed (the Pub/Sub stand-in).
 */
import { join } from "node:path";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { createLogger } from "../../../shared/logging/logger.js";
import type { Bus, Subscription } from "../../../shared/ports/bus.js";
import {
  createEmbeddedRuntime,
  type Runtime,
  startPresenceWorker,
} from "../../../shared/runtime/embedded-runtime.js";
import { type LocalHost, startLocalHost } from "../../../shared/runtime/local-http-host.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { maintainCalendarChannels } from "../../../shared/usecases/presence/calendar-channels.js";
import { resyncCalendars } from "../../../shared/usecases/presence/resync-calendars.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { UserLinkStore } from "../../../shared/usecases/user-sync/user-link-store.js";
import { stderrDestination, threecxSeed, workspaceSeed } from "../user-sync/fixtures.js";

export interface BenchUser {
  googleId: string;
  email: string;
  threecxId: number;
}

export interface PresenceBenchWorld {
  sims: DemoSimulators;
  runtime: Runtime;
  host: LocalHost;
  /** The linked users, the Workspace admin excluded. */
  users: BenchUser[];
  profileOf(user: BenchUser): string | undefined;
  /** Adds latency to every route of both simulators (tokens included). */
  injectLatency(ms: number): void;
  close(): Promise<void>;
}

export interface PresenceBenchWorldOptions {
  /** Users besides the Workspace admin. */
  users: number;
  dir: string;
  name: string;
  /** The in-process bus of the embedded runtime unless given (the Pub/Sub stand-in, or other limits). */
  bus?: Bus;
  maxInFlight?: number;
}

/** A meeting on the user's own calendar (no attendees: it counts), from a minute ago for an hour. */
export function meetingNow(): { summary: string; start: { dateTime: string }; end: { dateTime: string } } {
  const now = Date.now();
  return {
    summary: "Bench meeting",
    start: { dateTime: new Date(now - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z") },
    end: { dateTime: new Date(now + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z") },
  };
}

export async function startPresenceBenchWorld(
  options: PresenceBenchWorldOptions,
): Promise<PresenceBenchWorld> {
  const sims = await startDemoSimulators({
    google: workspaceSeed(options.users + 1),
    threecx: threecxSeed({ matchingUsers: options.users + 1 }),
  });
  const env = { ...process.env, ...sims.env };
  const settings = loadSettings({
    env,
    base: {
      ...sims.settings,
      logLevel: "error",
      calendarPresence: true,
      embedded: { stateDbPath: join(options.dir, `${options.name}.db`) },
      threecx: { ...(sims.settings.threecx as object), maxInFlight: options.maxInFlight ?? 8 },
    },
  });
  const logger = createLogger(
    { component: "gw3cx-bench" },
    { level: "error", destination: stderrDestination },
  );
  const runtime = await createEmbeddedRuntime(settings, logger, {
    env,
    ...(options.bus ? { bus: options.bus } : {}),
  });
  const channelToken = sims.env.GW3CX_DEMO_CHANNEL_TOKEN as string;
  const host = await startLocalHost(runtime, channelToken);
  let worker: Subscription | undefined;
  try {
    const sync = await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
    if (sync.run.status !== "applied") throw new Error(`the linking sync ended ${sync.run.status}`);
    // Channels first, with no worker listening (their "first decision" messages go nowhere), then
    // every first decision made here, so the measured notifications all find a stored state.
    const channels = await maintainCalendarChannels(runtime.presence, {
      calendarPresence: true,
      webhookUrl: host.webhookUrl,
      channelToken,
      callsPerSecond: 100_000,
    });
    if (channels.failed > 0) throw new Error(`${channels.failed} calendar channels failed to open`);
    await sims.google.notificationsIdle();
    const first = await resyncCalendars(runtime.presence, runtime.presenceConfig);
    if (first.failed > 0) throw new Error(`${first.failed} first presence decisions failed`);
    worker = await startPresenceWorker(runtime);
  } catch (error) {
    await host.close();
    await runtime.close();
    await sims.close();
    throw error;
  }
  const links = await new UserLinkStore(runtime.userSync.state).all();
  const emails = new Map(
    [...sims.google.tenant.directory.allUsers()].map((u) => [u.id, u.primaryEmail] as const),
  );
  const users = links
    .map((l) => ({ googleId: l.googleId, email: emails.get(l.googleId) ?? "", threecxId: l.threecxId }))
    .filter((u) => u.email.startsWith("user"))
    .sort((a, b) => a.email.localeCompare(b.email));
  return {
    sims,
    runtime,
    host,
    users,
    profileOf: (user) =>
      sims.threecx.state.users.get(user.threecxId)?.CurrentProfileName as string | undefined,
    injectLatency(ms) {
      sims.google.addFault({ operation: "*", latencyMs: ms });
      sims.threecx.faults.add({ latencyMs: ms });
    },
    async close() {
      await worker?.close();
      await host.close();
      await runtime.close();
      await sims.close();
    },
  };
}
