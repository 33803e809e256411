import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { isGw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import { TOPICS } from "../../messaging/topics.js";
import type { Bus } from "../../ports/bus.js";
import type { Calendar } from "../../ports/calendar.js";
import type { Clock } from "../../ports/clock.js";
import type { Directory } from "../../ports/directory.js";
import type { StateStore } from "../../ports/state-store.js";
import { type ChannelRecord, ChannelStore } from "../channels/channel-store.js";
import { UserLinkStore } from "../user-sync/user-link-store.js";
import { pace } from "./pace.js";

/** Asked for; Google grants at most its own limit (a week is the documented default). */
const REQUESTED_TTL_SECONDS = 7 * 24 * 60 * 60;
/** A channel with less than this left is renewed (the nightly run and the tick both look). */
export const CALENDAR_RENEW_WITHIN_MS = 36 * 60 * 60 * 1000;
/**
 * Watch and stop calls started per second: 25 a second is 1,500 a minute, well inside Calendar's
 * 10,000 a minute per project, leaving room for the workers' reads. 10,000 users take under 7 minutes.
 */
export const CALENDAR_CHANNEL_CALLS_PER_SECOND = 25;

export interface CalendarChannelPorts {
  calendar: Calendar;
  directory: Directory;
  state: StateStore;
  bus: Bus;
  clock: Clock;
  logger: Logger;
}

export interface CalendarChannelOptions {
  calendarPresence: boolean;
  /** The webhook address (the same one Directory channels use). */
  webhookUrl: string;
  channelToken: string;
  renewWithinMs?: number;
  callsPerSecond?: number;
  concurrency?: number;
}

export interface CalendarChannelsResult {
  opened: number;
  renewed: number;
  stopped: number;
  kept: number;
  failed: number;
}

/**
 * One live Calendar channel on each synced user's primary calendar while calendarPresence is on:
 * a missing one (new user, lost, failed before) is opened, one near expiry is renewed (the new
 * channel recorded before the old is stopped, so nothing falls between), and channels of users no
 * longer synced, or all of them with calendarPresence off, are stopped. A user who gets their first
 * channel is also queued for a presence decision (the `sync` handshake carries no change).
 * Calls are paced for Google's quota; one user's failure is counted and logged, never fatal.
 */
export async function maintainCalendarChannels(
  ports: CalendarChannelPorts,
  options: CalendarChannelOptions,
): Promise<CalendarChannelsResult> {
  const channels = new ChannelStore(ports.state);
  const existing = await channels.ofKind("calendar");
  const byUser = new Map<string, ChannelRecord[]>();
  for (const c of existing) {
    const list = byUser.get(c.googleUserId ?? "") ?? [];
    list.push(c);
    byUser.set(c.googleUserId ?? "", list);
  }
  const links = options.calendarPresence
    ? (await new UserLinkStore(ports.state).all()).filter((l) => !l.disabledByGw3cx)
    : [];
  const wanted = new Set(links.map((l) => l.googleId));
  const result: CalendarChannelsResult = { opened: 0, renewed: 0, stopped: 0, kept: 0, failed: 0 };
  const now = ports.clock.now().getTime();
  const renewWithinMs = options.renewWithinMs ?? CALENDAR_RENEW_WITHIN_MS;
  const paced = pace(ports.clock, options.callsPerSecond ?? CALENDAR_CHANNEL_CALLS_PER_SECOND);
  const limit = pLimit(options.concurrency ?? 8);
  const emails = new EmailLookup(ports.directory);

  const stop = async (email: string | undefined, channel: ChannelRecord) => {
    if (email) {
      await paced();
      try {
        await ports.calendar.stopChannel(email, channel);
      } catch (error) {
        // An already-gone channel is the goal; anything else is logged and it lapses on its own.
        if (!isGw3cxError(error, "CALENDAR_NOT_FOUND")) {
          ports.logger.event("calendarChannelStopFailed", { channelId: channel.channelId, error });
        }
      }
    }
    await channels.remove(channel.channelId);
    result.stopped++;
  };

  const needing = links.filter(
    (l) => !(byUser.get(l.googleId) ?? []).some((c) => isLive(c, now, renewWithinMs)),
  );
  // Every user whose email this pass needs: those getting a channel and those losing theirs.
  const leaving = [...byUser.keys()].filter((id) => !wanted.has(id));
  await emails.preloadFor(needing.length + leaving.length);
  const tasks: Promise<void>[] = [];
  for (const googleUserId of leaving) {
    const own = byUser.get(googleUserId) ?? [];
    tasks.push(
      limit(async () => {
        const email = await emails.of(googleUserId).catch(() => undefined);
        for (const c of own) await stop(email, c);
      }),
    );
  }
  for (const link of links) {
    const own = byUser.get(link.googleId) ?? [];
    if (own.some((c) => isLive(c, now, renewWithinMs))) {
      result.kept++;
      continue;
    }
    tasks.push(
      limit(async () => {
        try {
          const email = await emails.of(link.googleId);
          if (!email) return;
          await paced();
          const channel = await ports.calendar.watchEvents(email, {
            channelId: randomUUID(),
            address: options.webhookUrl,
            token: options.channelToken,
            ttlSeconds: REQUESTED_TTL_SECONDS,
          });
          await channels.save({
            ...channel,
            kind: "calendar",
            googleUserId: link.googleId,
            createdAt: ports.clock.now(),
          });
          ports.logger.event("calendarChannelOpened", {
            googleUserId: link.googleId,
            channelId: channel.channelId,
            expiration: channel.expiration?.toISOString(),
            renewal: own.length > 0,
          });
          if (own.length > 0) result.renewed++;
          else {
            result.opened++;
            await ports.bus.publish(TOPICS.calendarChanges, { googleUserId: link.googleId });
          }
          for (const old of own) await stop(email, old);
        } catch (error) {
          result.failed++;
          ports.logger.event("calendarChannelOpenFailed", { googleUserId: link.googleId, error });
        }
      }),
    );
  }
  await Promise.all(tasks);
  ports.logger.event("calendarChannelsMaintained", { ...result });
  return result;
}

function isLive(channel: ChannelRecord, now: number, renewWithinMs: number): boolean {
  return !channel.expiration || channel.expiration.getTime() - now > renewWithinMs;
}

/** Past this many users, one listing of the Directory (500 a page) is cheaper than a read per user. */
const LIST_DIRECTORY_ABOVE = 100;

/** Emails by Google id, read from the Directory once per user per pass (or listed once for many users). */
class EmailLookup {
  private readonly known = new Map<string, Promise<string | undefined>>();
  constructor(private readonly directory: Directory) {}

  async preloadFor(count: number): Promise<void> {
    if (count <= LIST_DIRECTORY_ABOVE) return;
    let pageToken: string | undefined;
    do {
      const page = await this.directory.listUsersPage(pageToken ? { pageToken } : {});
      for (const u of page.users)
        this.known.set(u.id, Promise.resolve(u.deleted ? undefined : u.primaryEmail));
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  of(googleUserId: string): Promise<string | undefined> {
    let email = this.known.get(googleUserId);
    if (!email) {
      email = this.directory
        .getUser(googleUserId)
        .then((u) => (u && !u.deleted ? u.primaryEmail : undefined));
      this.known.set(googleUserId, email);
    }
    return email;
  }
}
