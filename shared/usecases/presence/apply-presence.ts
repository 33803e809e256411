import { randomUUID } from "node:crypto";
import { decidePresence, type PresenceStep } from "../../domain/presence/decide-presence.js";
import { PresenceTimeline } from "../../domain/presence/presence-timeline.js";
import type { PresenceWrite } from "../../domain/presence/presence-writes.js";
import { fullReadWindow, updateBusyIntervals } from "../../domain/presence/stored-busy-intervals.js";
import type { CalendarSyncResult } from "../../ports/calendar.js";
import { CalendarError } from "../../ports/calendar.js";
import type { ThreeCx, ThreeCxPresenceChange } from "../../ports/threecx.js";
import { userLease } from "../user-sync/user-lease.js";
import { UserLinkStore } from "../user-sync/user-link-store.js";
import type { PresenceConfig, PresencePorts } from "./presence-ports.js";
import { PresenceStore, type UserPresence } from "./presence-store.js";

export interface ApplyPresenceOptions {
  /** Read the whole calendar window again instead of the changes since the stored token (nightly). */
  fullRead?: boolean;
}

export type ApplyPresenceResult =
  | { status: "off" }
  /** No link, or gw3cx disabled the 3CX user, or the Workspace user is gone: nothing to do. */
  | { status: "not-linked" }
  /** Another worker holds this user's lease: try again later. */
  | { status: "busy" }
  | {
      status: "applied";
      writes: PresenceWrite[];
      steps: PresenceStep[];
      nextBoundaryMs: number | null;
    };

/**
 * The decision's writes as one PATCH: every changed message and the profile together, so a change
 * is one 3CX write (and one round trip less on the path from a notification to the PBX).
 */
async function applyWrites(threecx: ThreeCx, threecxId: number, writes: readonly PresenceWrite[]) {
  if (writes.length === 0) return;
  const change: ThreeCxPresenceChange = {};
  for (const write of writes) {
    if (write.type === "setMessage") change.messages = { ...change.messages, [write.profile]: write.message };
    else change.profile = write.profile;
  }
  await threecx.setPresence(threecxId, change);
}

/**
 * Brings one user's 3CX presence in line with their calendar at this moment: under the user's lease,
 * read the calendar changes since the stored sync token (410 or no token: the whole window, a day
 * back to 14 days ahead), update the stored busy intervals, read what 3CX shows, decide, write, store
 * the new state only once every write succeeded, then schedule the next boundary.
 *
 * Idempotent: any number of calls at any moment, in any order, converge, and a call that finds 3CX
 * already right writes nothing. A failed write leaves the stored state (and sync token) as it was,
 * so the next call reads the same changes again and decides on a fresh read of 3CX.
 */
export async function applyPresence(
  ports: PresencePorts,
  config: PresenceConfig,
  googleUserId: string,
  options: ApplyPresenceOptions = {},
): Promise<ApplyPresenceResult> {
  if (!config.calendarPresence) return { status: "off" };
  const links = new UserLinkStore(ports.state);
  const link = await links.get(googleUserId);
  if (!link || link.disabledByGw3cx) return { status: "not-linked" };

  let result: ApplyPresenceResult = { status: "not-linked" };
  const leased = await userLease(
    links,
    ports.clock,
    `presence-${randomUUID()}`,
  )(googleUserId, async () => {
    result = await applyLeased(ports, config, googleUserId, link.threecxId, options);
  });
  if (!leased) {
    ports.logger.event("presenceUserBusy", { googleUserId });
    return { status: "busy" };
  }
  return result;
}

async function applyLeased(
  ports: PresencePorts,
  config: PresenceConfig,
  googleUserId: string,
  threecxId: number,
  options: ApplyPresenceOptions,
): Promise<ApplyPresenceResult> {
  const store = new PresenceStore(ports.state);
  const stored = await store.get(googleUserId);
  const read = await readCalendar(ports, googleUserId, stored, options);
  if (!read) return { status: "not-linked" };
  const now = ports.clock.now().getTime();
  const calendarTimeZone = read.sync.timeZone ?? stored?.calendarTimeZone ?? config.timeZone;
  const intervals = updateBusyIntervals(
    read.sync.full ? [] : (stored?.intervals ?? []),
    { full: read.sync.full, events: read.sync.events, calendarTimeZone },
    config.rules,
    now,
  );
  const timeline = PresenceTimeline.fromIntervals(intervals);
  const pbx = await ports.threecx.getPresence(threecxId);
  const decision = decidePresence({
    now,
    target: timeline.profileAt(now),
    pbx,
    state: stored?.override ?? null,
    settings: { statusMessage: config.statusMessage, timeZone: config.timeZone },
  });
  await applyWrites(ports.threecx, threecxId, decision.writes);

  const nextBoundaryMs = timeline.nextBoundary(now);
  const previousBoundaryMs = stored?.nextBoundaryMs ?? null;
  const next: UserPresence = {
    googleUserId,
    email: read.email,
    syncToken: read.sync.nextSyncToken,
    calendarTimeZone,
    intervals,
    override: decision.state,
    holding: decision.state?.phase === "holding",
    nextBoundaryMs,
    appliedAtMs: now,
    fullReadAtMs: read.sync.full ? now : (stored?.fullReadAtMs ?? now),
  };
  await store.save(next);
  if (decision.writes.length > 0) {
    ports.logger.event("presenceApplied", {
      googleUserId,
      threecxId,
      steps: decision.steps,
      writes: decision.writes.map((w) =>
        w.type === "setProfile" ? `profile:${w.profile}` : `message:${w.profile}`,
      ),
      kind: decision.state?.kind,
    });
  } else {
    ports.logger.event("presenceUnchanged", { googleUserId, steps: decision.steps });
  }
  await rescheduleBoundary(ports, googleUserId, previousBoundaryMs, nextBoundaryMs, now);
  return { status: "applied", writes: decision.writes, steps: decision.steps, nextBoundaryMs };
}

/**
 * The next wake-up. A failure is logged, not thrown: the state already holds the boundary, and the
 * reconcile tick applies any user whose stored boundary has passed.
 */
async function rescheduleBoundary(
  ports: PresencePorts,
  googleUserId: string,
  previousMs: number | null,
  nextMs: number | null,
  now: number,
): Promise<void> {
  try {
    if (nextMs !== null && nextMs !== previousMs)
      await ports.scheduler.schedule({ googleUserId, at: nextMs });
    if (previousMs !== null && previousMs !== nextMs && previousMs > now) {
      await ports.scheduler.cancel({ googleUserId, at: previousMs });
    }
  } catch (error) {
    ports.logger.event("presenceBoundaryScheduleFailed", { googleUserId, at: nextMs, error });
  }
}

interface CalendarReadResult {
  email: string;
  sync: CalendarSyncResult;
}

/** Reads the calendar as its owner; a refused read with a remembered email retries once with a fresh one (renamed user). */
async function readCalendar(
  ports: PresencePorts,
  googleUserId: string,
  stored: UserPresence | undefined,
  options: ApplyPresenceOptions,
): Promise<CalendarReadResult | undefined> {
  const window = fullReadWindow(ports.clock.now().getTime());
  const syncOptions = {
    ...(stored?.syncToken && !options.fullRead ? { syncToken: stored.syncToken } : {}),
    fullSyncFrom: new Date(window.from),
    fullSyncUntil: new Date(window.until),
  };
  if (stored?.email) {
    try {
      return { email: stored.email, sync: await ports.calendar.syncEvents(stored.email, syncOptions) };
    } catch (error) {
      if (!(error instanceof CalendarError) || !isRefusedSubject(error)) throw error;
    }
  }
  const user = await ports.directory.getUser(googleUserId);
  if (!user || user.deleted || !user.primaryEmail) return undefined;
  const email = user.primaryEmail;
  // A new email reads a calendar afresh: the old token belongs to the old subject.
  const fresh = email === stored?.email ? syncOptions : { ...syncOptions, syncToken: undefined };
  const { syncToken, ...rest } = fresh;
  return {
    email,
    sync: await ports.calendar.syncEvents(email, syncToken ? { ...rest, syncToken } : rest),
  };
}

function isRefusedSubject(error: CalendarError): boolean {
  return error.failure === "NOT_FOUND" || error.failure === "NOT_AUTHORIZED";
}
