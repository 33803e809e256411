import type { WatchChannel } from "../../ports/directory.js";

interface WireChannel {
  id?: string | null;
  resourceId?: string | null;
  resourceUri?: string | null;
  /** Unix milliseconds as a string, as every Google watch answers. */
  expiration?: string | null;
}

export function toWatchChannelFromWire(channel: WireChannel, requestedId: string): WatchChannel {
  return {
    channelId: channel.id ?? requestedId,
    resourceId: channel.resourceId ?? "",
    resourceUri: channel.resourceUri ?? "",
    expiration: channel.expiration ? new Date(Number(channel.expiration)) : undefined,
  };
}
