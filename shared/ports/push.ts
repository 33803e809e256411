import { Gw3cxError } from "../errors.js";
import type { DirectoryUserEvent } from "./directory.js";

/** A watch channel gw3cx opened and recorded: what a notification is checked against. */
export interface RegisteredChannel {
  channelId: string;
  resourceId: string;
  kind: "directory" | "calendar";
  expiration?: Date;
  /** For calendar channels: the Google user id whose calendar is watched. */
  googleUserId?: string;
}

/** Looks up a channel by id (state store in practice). */
export type ChannelLookup = (channelId: string) => Promise<RegisteredChannel | undefined>;

/** Bus payload for a Directory change: ids only, the worker re-reads the user. */
export interface DirectoryChangeMessage {
  googleUserId: string;
  event: DirectoryUserEvent;
}

/** Bus payload for a Calendar change: Calendar notifications carry no body, only "something changed". */
export interface CalendarChangeMessage {
  googleUserId: string;
  channelId: string;
}

export type PushOutcome =
  | { kind: "directory"; message: DirectoryChangeMessage; messageNumber: number }
  | { kind: "calendar"; message: CalendarChangeMessage; messageNumber: number }
  /** The handshake Google sends when a channel opens: acknowledge, publish nothing. */
  | { kind: "sync"; channelId: string };

export type PushRejection =
  | "MALFORMED"
  | "UNKNOWN_CHANNEL"
  | "CHANNEL_EXPIRED"
  | "BAD_TOKEN"
  | "RESOURCE_MISMATCH";

/** A notification that must not be published. The webhook answers 2xx anyway or 4xx; never 5xx (Google would retry). */
export class PushRejectedError extends Gw3cxError<`PUSH_${PushRejection}`> {
  readonly rejection: PushRejection;
  constructor(
    rejection: PushRejection,
    message: string,
    options: { details?: Record<string, unknown> } = {},
  ) {
    super(`PUSH_${rejection}`, message, options);
    this.rejection = rejection;
  }
}
