import type { WatchChannel, WatchRequest } from "../../ports/directory.js";

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

/** The channel a watch call asks for: the same body for Directory users.watch and Calendar events.watch. */
export function toWireWatchRequest(request: WatchRequest) {
  return {
    id: request.channelId,
    type: "web_hook",
    address: request.address,
    token: request.token,
    ...(request.ttlSeconds === undefined ? {} : { params: { ttl: String(request.ttlSeconds) } }),
  };
}
