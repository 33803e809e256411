import { nextDailyRun } from "../../domain/status/next-daily-run.js";
import { type StatusTime, statusTime } from "../../domain/status/status-time.js";
import { TOPICS } from "../../messaging/topics.js";
import type { DeadLetterSource, DeadLetterSummary } from "../../ports/dead-letters.js";
import type { StateStore } from "../../ports/state-store.js";
import { type ChannelRecord, ChannelStore } from "../channels/channel-store.js";
import { type ContactRun, ContactRunStore } from "../contacts/contact-run-store.js";
import { type LiveView, type SyncRunView, withLiveness } from "../user-sync/run-liveness.js";
import { type SyncRun, SyncRunStore, type SyncTrigger } from "../user-sync/sync-run-store.js";
import { UserLinkStore } from "../user-sync/user-link-store.js";
import { type ActiveOverride, readPresenceStatus } from "./read-presence-status.js";
import type { StatusConfig } from "./status-config.js";
import type { StatusSection, StatusSectionReader } from "./status-section.js";

export interface StatusPorts {
  state: StateStore;
  deadLetters: DeadLetterSource;
  /** Parts other features add (contacts, transcripts); each shows only when it has data. */
  sections?: readonly StatusSectionReader[];
}

/** A run with what a reader wants at a glance: when, how long, how many problems. */
export type RunView = SyncRunView & {
  started: StatusTime;
  /** Until it finished, or until now while it runs. */
  durationMs: number;
  /** Users the plan could not handle plus writes that failed. */
  problems: number;
};

export type HeldRunView = SyncRun & { started: StatusTime };

export type ChannelView = ChannelRecord & { expiresInMs?: number; expires?: StatusTime };

export type OverrideView = ActiveOverride & { sinceTime: StatusTime; untilTime: StatusTime };

export type DeadLetterView = { topics: DeadLetterSummary[] } | { unavailable: string };

/** The one status model: `gw3cx status --json` and `/status.json` print it, the CLI and the page render it. */
export interface Gw3cxStatus {
  generatedAt: StatusTime;
  mode: StatusConfig["mode"];
  pbxUrl?: string;
  timeZone: string;
  host: StatusConfig["host"];
  managedUsers: number;
  nextNightlyRun: { time: StatusTime; scheduled: boolean };
  /** The latest run of each kind that has run (daily, manual, realtime, approval). */
  lastRuns: RunView[];
  /** Most recent first; a run whose process died shows as "abandoned" once its heartbeat lapsed. */
  runs: RunView[];
  /** Waiting for an admin, with the users each would disable. */
  held: HeldRunView[];
  /** Abandoned or failed among the recent runs. */
  attention: RunView[];
  channels: ChannelView[];
  deadLetters: DeadLetterView;
  /** Calendar presence: the profiles gw3cx holds now, and how many calendars are watched. */
  presence: { overrides: OverrideView[]; calendarChannels: number };
  /** The last personal-contacts run (users done, contacts written, overflow, failures), if any. */
  contacts?: LiveView<ContactRun>;
  sections: StatusSection[];
}

const RUN_KINDS: readonly SyncTrigger[] = ["daily", "manual", "realtime", "approval"];
const NEWEST_DEAD_LETTERS = 3;

function problemsOf(run: SyncRun): number {
  return (run.counts?.problems ?? 0) + run.errors.length;
}

async function readDeadLetters(source: DeadLetterSource): Promise<DeadLetterView> {
  try {
    return { topics: await source.summarize(Object.values(TOPICS), NEWEST_DEAD_LETTERS) };
  } catch (error) {
    // The rest of the page still answers "is it working": this part says why it is missing.
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads the state store (and the dead-letter source) only; neither Google nor 3CX is contacted. */
export async function readStatus(ports: StatusPorts, config: StatusConfig, now: Date): Promise<Gw3cxStatus> {
  const runStore = new SyncRunStore(ports.state);
  const channelStore = new ChannelStore(ports.state);
  const [recent, held, channels, links, presence, deadLetters, sections, [lastContactRun]] =
    await Promise.all([
      runStore.latest(config.runLimit ?? 50),
      runStore.held(),
      channelStore.ofKind("directory"),
      new UserLinkStore(ports.state).all(),
      readPresenceStatus(ports.state),
      readDeadLetters(ports.deadLetters),
      Promise.all((ports.sections ?? []).map((read) => read(ports.state, now, config.timeZone))),
      new ContactRunStore(ports.state).latest(1),
    ]);
  const at = now.getTime();
  const time = (instant: number) => statusTime(instant, at, config.timeZone);
  const runs: RunView[] = recent.map((run) => {
    const startedMs = Date.parse(run.startedAt);
    const endMs = run.finishedAt ? Date.parse(run.finishedAt) : at;
    return {
      ...withLiveness(run, now),
      started: time(startedMs),
      durationMs: Math.max(0, endMs - startedMs),
      problems: problemsOf(run),
    };
  });
  const lastRuns = RUN_KINDS.flatMap((kind) => runs.find((r) => r.trigger === kind) ?? []);
  return {
    generatedAt: time(at),
    mode: config.mode,
    ...(config.pbxUrl ? { pbxUrl: config.pbxUrl } : {}),
    timeZone: config.timeZone,
    host: config.host,
    managedUsers: links.length,
    nextNightlyRun: {
      time: time(nextDailyRun(config.syncTime, config.timeZone, at)),
      scheduled: config.host === "cloud",
    },
    lastRuns,
    runs: runs.slice(0, 20),
    held: held
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .map((run) => ({ ...run, started: time(Date.parse(run.startedAt)) })),
    attention: runs.filter((r) => r.status === "abandoned" || r.status === "failed"),
    channels: channels.map((c) =>
      c.expiration
        ? { ...c, expiresInMs: c.expiration.getTime() - at, expires: time(c.expiration.getTime()) }
        : c,
    ),
    deadLetters,
    presence: {
      calendarChannels: presence.calendarChannels,
      overrides: presence.overrides.map((o) => ({
        ...o,
        sinceTime: time(Date.parse(o.since)),
        untilTime: time(Date.parse(o.until)),
      })),
    },
    ...(lastContactRun ? { contacts: withLiveness(lastContactRun, now) } : {}),
    sections: sections.filter((s): s is StatusSection => s !== undefined),
  };
}
