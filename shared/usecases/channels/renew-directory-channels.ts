import { randomUUID } from "node:crypto";
import type { Logger } from "../../logging/logger.js";
import type { Clock } from "../../ports/clock.js";
import type { Directory, DirectoryUserEvent } from "../../ports/directory.js";
import type { StateStore } from "../../ports/state-store.js";
import { ChannelStore } from "./channel-store.js";

/** The user events real-time sync listens to (3CX: create, suspend/delete, unsuspend, name/photo/phone). */
export const WATCHED_DIRECTORY_EVENTS: readonly DirectoryUserEvent[] = [
  "add",
  "update",
  "delete",
  "undelete",
];

/** The nightly run renews a channel with less than this left, so it is renewed a day ahead of expiry. */
export const NIGHTLY_RENEW_WITHIN_MS = 36 * 60 * 60 * 1000;
/**
 * The renewal tick (every 3 hours) renews a channel with less than this left: Google documents no
 * maximum lifetime for Directory channels and may grant less than a day, which the nightly run alone
 * would let lapse.
 */
export const TICK_RENEW_WITHIN_MS = 7 * 60 * 60 * 1000;
/** Asked for; the Directory API grants the more restrictive of this and its own limit. */
const REQUESTED_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface RenewChannelsPorts {
  directory: Directory;
  state: StateStore;
  clock: Clock;
  logger: Logger;
}

export interface RenewChannelsOptions {
  /** The HTTPS address of the Directory webhook function. */
  webhookUrl: string;
  /** The shared channel token (resolved secret). */
  channelToken: string;
  /** Renew even when the channel is far from expiring (first start, token rotation). */
  force?: boolean;
  /** Renew channels with less than this left (default NIGHTLY_RENEW_WITHIN_MS). */
  renewWithinMs?: number;
}

export interface RenewChannelsResult {
  opened: string[];
  stopped: string[];
  kept: string[];
}

/**
 * Keeps one live Directory channel per watched event. A new channel is opened and recorded before
 * the old one is stopped, so no notification falls between the two.
 */
export async function renewDirectoryChannels(
  ports: RenewChannelsPorts,
  options: RenewChannelsOptions,
): Promise<RenewChannelsResult> {
  const store = new ChannelStore(ports.state);
  const existing = await store.ofKind("directory");
  const result: RenewChannelsResult = { opened: [], stopped: [], kept: [] };
  const now = ports.clock.now().getTime();

  for (const event of WATCHED_DIRECTORY_EVENTS) {
    const current = existing.filter((c) => c.event === event);
    const renewWithinMs = options.renewWithinMs ?? NIGHTLY_RENEW_WITHIN_MS;
    const live = current.find((c) => !c.expiration || c.expiration.getTime() - now > renewWithinMs);
    if (live && !options.force) {
      result.kept.push(live.channelId);
      continue;
    }
    const channel = await ports.directory.watchUsers(event, {
      channelId: randomUUID(),
      address: options.webhookUrl,
      token: options.channelToken,
      ttlSeconds: REQUESTED_TTL_SECONDS,
    });
    await store.save({ ...channel, kind: "directory", event, createdAt: ports.clock.now() });
    result.opened.push(channel.channelId);
    ports.logger.event("directoryChannelRenewed", {
      event,
      channelId: channel.channelId,
      expiration: channel.expiration?.toISOString(),
    });
    for (const old of current) {
      try {
        await ports.directory.stopChannel({ channelId: old.channelId, resourceId: old.resourceId });
      } catch (error) {
        ports.logger.event("directoryChannelStopFailed", { channelId: old.channelId, error });
      }
      await store.remove(old.channelId);
      result.stopped.push(old.channelId);
    }
  }
  return result;
}
