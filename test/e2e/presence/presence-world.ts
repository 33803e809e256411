import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InProcessBus } from "../../../shared/adapters/memory/in-process-bus.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import type { Settings } from "../../../shared/config/schema.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import type { BusMessage, Subscription } from "../../../shared/ports/bus.js";
import {
  createEmbeddedRuntime,
  type Runtime,
  startPresenceWorker,
  startUserSyncWorker,
} from "../../../shared/runtime/embedded-runtime.js";
import { type LocalHost, startLocalHost } from "../../../shared/runtime/local-http-host.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { SeedEvent, TenantSeed } from "../../../shared/simulators/google/seed.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";
import { renewDirectoryChannels } from "../../../shared/usecases/channels/renew-directory-channels.js";
import { maintainCalendarChannels } from "../../../shared/usecases/presence/calendar-channels.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { capturedLogger } from "../../support/captured-logger.js";

export const PEOPLE = ["ada", "grace", "alan", "edsger"] as const;
export type Person = (typeof PEOPLE)[number];
export const emailOf = (p: Person) => `${p}@example.com`;

export function presenceSeeds(): { google: TenantSeed; threecx: ThreeCxSeed } {
  return {
    google: {
      customer: { id: "C0pres001", domain: "example.com" },
      serviceAccounts: [
        {
          email: "gw3cx-runtime@gw3cx-demo.iam.gserviceaccount.com",
          uniqueId: "104729000000000000001",
          sourceToken: "sim-source-token-gw3cx-runtime",
        },
      ],
      domainWideDelegation: [
        {
          clientId: "104729000000000000001",
          scopes: [
            "https://www.googleapis.com/auth/admin.directory.user.readonly",
            "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
            "https://www.googleapis.com/auth/calendar.events.readonly",
            "https://www.googleapis.com/auth/gmail.send",
          ],
        },
      ],
      orgUnits: ["/"],
      users: [
        { primaryEmail: "admin@example.com", givenName: "Workspace", familyName: "Admin", isAdmin: true },
        ...PEOPLE.map((p) => ({
          primaryEmail: emailOf(p),
          givenName: p[0]?.toUpperCase() + p.slice(1),
          familyName: "Tester",
          timeZone: "Europe/Berlin",
        })),
      ],
    },
    threecx: {
      extensionStart: "100",
      apiClients: [{ clientId: "gw3cx", secret: "local-simulator-secret", role: "system_owner" }],
      departments: [{ Name: "DEFAULT" }],
    },
  };
}

/**
 * The single-machine stack with presence on, in a test: both simulators, the embedded runtime,
 * the webhook host, both workers, Directory and Calendar channels, users synced. `restart()`
 * stops the runtime (timers included) and starts a new one on the same state file, as a restart of
 * `npm start` against a real tenant would.
 */
export interface PresenceWorld {
  sims: DemoSimulators;
  runtime: Runtime;
  host: LocalHost;
  settings: Settings;
  logs: Record<string, unknown>[];
  /** Messages published to gw3cx-calendar-changes (webhook, wake-ups, new channels). */
  published: BusMessage[];
  threecxIdOf(p: Person): number;
  profileOf(p: Person): string;
  messageOf(p: Person, profile: string): string | null;
  /** Requests the 3CX simulator served for profile and message writes. */
  presenceWrites(): number;
  addEvent(organizer: Person, event: SeedEvent): string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startPresenceWorld(
  settingsOverrides: Record<string, unknown> = {},
): Promise<PresenceWorld> {
  const seeds = presenceSeeds();
  const sims = await startDemoSimulators(seeds);
  const env: Record<string, string> = { ...sims.env, METADATA_SERVER_DETECTION: "none" };
  const stateDbPath = join(mkdtempSync(join(tmpdir(), "gw3cx-presence-")), "state.db");
  const settings = loadSettings({
    env,
    base: {
      ...sims.settings,
      calendarPresence: true,
      timeZone: "Europe/Berlin",
      ...settingsOverrides,
      embedded: { stateDbPath },
      threecx: { ...(sims.settings.threecx as object), maxRetries: 6 },
    },
  });
  const { logger, lines: logs } = capturedLogger("e2e", "debug");
  const channelToken = env.GW3CX_DEMO_CHANNEL_TOKEN as string;
  const published: BusMessage[] = [];

  let runtime: Runtime;
  let host: LocalHost;
  let subscriptions: Subscription[] = [];
  const up = async (first: boolean) => {
    runtime = await createEmbeddedRuntime(settings, logger, {
      env,
      bus: new InProcessBus({ redeliveryDelayMs: 30 }),
    });
    host = await startLocalHost(runtime, channelToken);
    subscriptions = [
      await runtime.presence.bus.subscribe({ topic: TOPICS.calendarChanges, name: "e2e-spy" }, async (m) => {
        published.push(m);
        return "ack";
      }),
      await startUserSyncWorker(runtime),
    ];
    await renewDirectoryChannels(
      {
        directory: runtime.userSync.directory,
        state: runtime.userSync.state,
        clock: runtime.userSync.clock,
        logger,
      },
      { webhookUrl: host.webhookUrl, channelToken, force: true },
    );
    if (first) await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
    subscriptions.push(await startPresenceWorker(runtime));
    // The host's address changed with the restart: every calendar channel is opened afresh.
    await maintainCalendarChannels(runtime.presence, {
      calendarPresence: true,
      webhookUrl: host.webhookUrl,
      channelToken,
      renewWithinMs: first ? undefined : Number.MAX_SAFE_INTEGER,
    });
  };
  const down = async () => {
    for (const s of subscriptions) await s.close();
    await host.close();
    await runtime.close();
  };
  await up(true);

  const userOf = (p: Person) =>
    [...sims.threecx.state.users.values()].find((u) => u.EmailAddress === emailOf(p)) as Record<
      string,
      unknown
    >;
  const profiles = (p: Person) => sims.threecx.state.profiles.get(userOf(p).Id as number) ?? [];
  return {
    sims,
    get runtime() {
      return runtime;
    },
    get host() {
      return host;
    },
    settings,
    logs,
    published,
    threecxIdOf: (p) => userOf(p).Id as number,
    profileOf: (p) => userOf(p).CurrentProfileName as string,
    messageOf: (p, name) =>
      (profiles(p).find((x) => x.Name === name)?.CustomMessage as string | null) ?? null,
    presenceWrites: () => {
      const r = sims.threecx.stats.requests;
      return r.UpdateUser ?? 0;
    },
    addEvent: (organizer, event) => sims.google.tenant.addEvent(emailOf(organizer), event).id,
    async restart() {
      await down();
      await up(false);
    },
    async close() {
      await down();
      await sims.close();
    },
  };
}

/** Polls until `check` holds (or throws after `ms`). */
export async function eventually(check: () => boolean, ms: number, what: string): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

export const iso = (ms: number) => new Date(ms).toISOString();
