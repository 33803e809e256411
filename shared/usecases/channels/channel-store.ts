import type { RegisteredChannel } from "../../ports/push.js";
import type { StateStore } from "../../ports/state-store.js";

const CHANNELS = "watchChannels";

interface StoredChannel extends Record<string, unknown> {
  channelId: string;
  resourceId: string;
  kind: "directory" | "calendar";
  /** For directory channels: the user event watched (add, update, delete, undelete). */
  event?: string;
  googleUserId?: string;
  expirationMs?: number;
  createdAtMs: number;
}

export interface ChannelRecord extends RegisteredChannel {
  event?: string;
  createdAt: Date;
}

function toRecord(stored: StoredChannel): ChannelRecord {
  return {
    channelId: stored.channelId,
    resourceId: stored.resourceId,
    kind: stored.kind,
    event: stored.event,
    googleUserId: stored.googleUserId,
    expiration: stored.expirationMs === undefined ? undefined : new Date(stored.expirationMs),
    createdAt: new Date(stored.createdAtMs),
  };
}

/** The watch channels gw3cx opened: what push notifications are verified against. */
export class ChannelStore {
  constructor(private readonly state: StateStore) {}

  async get(channelId: string): Promise<ChannelRecord | undefined> {
    const doc = await this.state.get<StoredChannel>(CHANNELS, channelId);
    return doc ? toRecord(doc.data) : undefined;
  }

  async save(channel: ChannelRecord): Promise<void> {
    const stored: StoredChannel = {
      channelId: channel.channelId,
      resourceId: channel.resourceId,
      kind: channel.kind,
      createdAtMs: channel.createdAt.getTime(),
      ...(channel.event ? { event: channel.event } : {}),
      ...(channel.googleUserId ? { googleUserId: channel.googleUserId } : {}),
      ...(channel.expiration ? { expirationMs: channel.expiration.getTime() } : {}),
    };
    await this.state.set(CHANNELS, channel.channelId, stored);
  }

  async remove(channelId: string): Promise<void> {
    await this.state.delete(CHANNELS, channelId);
  }

  async ofKind(kind: "directory" | "calendar"): Promise<ChannelRecord[]> {
    return (await this.state.query<StoredChannel>(CHANNELS, { where: [["kind", "==", kind]] })).map((d) =>
      toRecord(d.data),
    );
  }
}
