import pLimit from "p-limit";
import type { RemovalItem } from "../../domain/remove/removal-item.js";
import { isGw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import type { Calendar } from "../../ports/calendar.js";
import type { Clock } from "../../ports/clock.js";
import type { Directory } from "../../ports/directory.js";
import type { StateStore } from "../../ports/state-store.js";
import { type ChannelRecord, ChannelStore } from "../channels/channel-store.js";
import { CALENDAR_CHANNEL_CALLS_PER_SECOND } from "../presence/calendar-channels.js";
import { pace } from "../presence/pace.js";
import { failureReason } from "./failure-reason.js";

export interface ChannelRemovalPorts {
  directory: Pick<Directory, "stopChannel" | "getUser">;
  calendar: Pick<Calendar, "stopChannel">;
  state: StateStore;
  clock: Clock;
  logger: Logger;
}

const STOP = "stop the channel at Google and forget it";

/**
 * Every Directory and Calendar watch channel gw3cx has on record: stopped at Google (one already
 * gone there, or expired, counts as stopped) and then forgotten, so Google pushes nothing more.
 * A channel that could not be stopped stays on record, so a later run tries it again. Calendar
 * stops go as the calendar's owner, paced like the channel maintenance for Calendar's quota.
 */
export async function stopRecordedChannels(
  ports: ChannelRemovalPorts,
  options: { dryRun: boolean },
): Promise<RemovalItem[]> {
  const store = new ChannelStore(ports.state);
  const [directory, calendar] = await Promise.all([store.ofKind("directory"), store.ofKind("calendar")]);
  const now = ports.clock.now().getTime();
  const paced = pace(ports.clock, CALENDAR_CHANNEL_CALLS_PER_SECOND);
  const limit = pLimit(8);

  const item = (channel: ChannelRecord, status: RemovalItem["status"], reason?: string): RemovalItem => ({
    area: channel.kind === "directory" ? "directory-channel" : "calendar-channel",
    target: describe(channel),
    action: STOP,
    status,
    ...(reason ? { reason } : {}),
  });

  const remove = async (
    channel: ChannelRecord,
    stopAtGoogle: () => Promise<"stopped" | "gone">,
    notFoundCode: string,
  ): Promise<RemovalItem> => {
    const expired = channel.expiration !== undefined && channel.expiration.getTime() <= now;
    if (options.dryRun) {
      return expired
        ? item(channel, "already-gone", "expired; only its record is left")
        : item(channel, "to-do");
    }
    let status: RemovalItem["status"] = "done";
    let reason: string | undefined;
    if (expired) {
      status = "already-gone";
      reason = "expired; its record was forgotten";
    } else {
      try {
        if ((await stopAtGoogle()) === "gone") {
          status = "already-gone";
          reason = "its user is deleted, and the calendar's channel with them; its record was forgotten";
        }
      } catch (error) {
        if (!isGw3cxError(error, notFoundCode)) {
          ports.logger.event("removalChannelStopFailed", { channelId: channel.channelId, error });
          return item(
            channel,
            "failed",
            `${failureReason(error)}; kept on record (it lapses by ${channel.expiration?.toISOString() ?? "its expiry"})`,
          );
        }
        status = "already-gone";
        reason = "Google no longer had it; its record was forgotten";
      }
    }
    await store.remove(channel.channelId);
    ports.logger.event("removalChannelStopped", { channelId: channel.channelId, kind: channel.kind, status });
    return item(channel, status, reason);
  };

  const items: RemovalItem[] = [];
  // Directory channels first: a handful (one per watched event, two while one is renewed).
  for (const channel of directory) {
    items.push(
      await remove(
        channel,
        () => ports.directory.stopChannel(ref(channel)).then(() => "stopped" as const),
        "DIRECTORY_NOT_FOUND",
      ),
    );
  }
  const calendarItems = await Promise.all(
    calendar.map((channel) =>
      limit(() =>
        remove(
          channel,
          async () => {
            const owner = channel.googleUserId
              ? await ports.directory.getUser(channel.googleUserId)
              : undefined;
            // A deleted user's calendar is gone with them, and so is its channel.
            if (!owner || owner.deleted) return "gone" as const;
            await paced();
            await ports.calendar.stopChannel(owner.primaryEmail, ref(channel));
            return "stopped" as const;
          },
          "CALENDAR_NOT_FOUND",
        ),
      ),
    ),
  );
  items.push(...calendarItems);
  if (directory.length === 0) items.unshift(nothingOnRecord("directory-channel"));
  if (calendar.length === 0) items.push(nothingOnRecord("calendar-channel"));
  return items;
}

const ref = (channel: ChannelRecord) => ({ channelId: channel.channelId, resourceId: channel.resourceId });

function describe(channel: ChannelRecord): string {
  return channel.kind === "directory"
    ? `${channel.channelId} (users ${channel.event ?? "?"})`
    : `${channel.channelId} (calendar of ${channel.googleUserId ?? "?"})`;
}

function nothingOnRecord(area: "directory-channel" | "calendar-channel"): RemovalItem {
  return {
    area,
    target: "(none on record)",
    action: STOP,
    status: "already-gone",
    reason: "no channel on record",
  };
}
