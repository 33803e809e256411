import type { Logger } from "../../logging/logger.js";
import { TOPICS } from "../../messaging/topics.js";
import type { Bus } from "../../ports/bus.js";
import { type ChannelLookup, type PushOutcome, PushRejectedError } from "../../ports/push.js";
import type { StateStore } from "../../ports/state-store.js";
import { ChannelStore } from "../channels/channel-store.js";

/** A push notification as the HTTP layer hands it over. */
export interface PushRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body?: string | Buffer;
}

/** Verifies one notification against the recorded channels (the Google adapter's verifyPushNotification). */
export type PushVerifier = (
  request: PushRequest,
  options: { expectedToken: string; lookupChannel: ChannelLookup; now?: () => Date },
) => Promise<PushOutcome>;

export interface DirectoryPushPorts {
  verifyPush: PushVerifier;
  bus: Bus;
  state: StateStore;
  logger: Logger;
  now?: () => Date;
}

/** What the webhook answers: 200 published, 204 acknowledged (the sync handshake), 403 refused. */
export interface DirectoryPushResponse {
  status: 200 | 204 | 403;
  published?: string;
}

/**
 * The largest body the webhook reads. Google's Directory notifications carry a small user JSON
 * (under 2 KB); the HTTP layer answers 413 past this without reading further.
 */
export const MAX_PUSH_BODY_BYTES = 64 * 1024;

/**
 * The one answer to every notification that fails verification: malformed, unknown channel (the
 * `sync` handshake included), expired, wrong token, wrong resource. The same status and no body,
 * so a caller cannot tell a channel id that exists from one that does not. Google retries only
 * 5xx and counts anything else as a failed message, so refusing an early `sync` handshake (one
 * that arrives before watch() has answered and the channel is recorded) loses nothing: the
 * handshake carries no change.
 */
export const PUSH_REFUSED: DirectoryPushResponse = Object.freeze({ status: 403 });

/**
 * The webhook: verify the channel (known, live, token equal in constant time, resource id matching),
 * then publish only ids. Anything unverified is answered without publishing; the workers re-read the
 * truth, so nothing from the request body is trusted beyond the id.
 *
 * Directory and Calendar channels share this one webhook, routed by the kind recorded with each
 * channel: one public endpoint to expose and keep reachable, and one verification path (the same
 * channel store, token and uniform 403) instead of two that could drift apart. A Calendar
 * notification carries no body, so it publishes {googleUserId} of the channel's calendar owner to
 * gw3cx-calendar-changes.
 */
export async function handleDirectoryPush(
  request: PushRequest,
  ports: DirectoryPushPorts,
  channelToken: string,
): Promise<DirectoryPushResponse> {
  const channels = new ChannelStore(ports.state);
  try {
    const outcome = await ports.verifyPush(request, {
      expectedToken: channelToken,
      lookupChannel: (id) => channels.get(id),
      now: ports.now,
    });
    if (outcome.kind === "sync") return { status: 204 };
    if (outcome.kind === "calendar") {
      const { googleUserId } = outcome.message;
      const id = await ports.bus.publish(
        TOPICS.calendarChanges,
        { googleUserId },
        { messageNumber: String(outcome.messageNumber) },
      );
      ports.logger.event("calendarChangePublished", { googleUserId, messageId: id });
      return { status: 200, published: id };
    }
    const id = await ports.bus.publish(TOPICS.directoryChanges, outcome.message, {
      event: outcome.message.event,
      messageNumber: String(outcome.messageNumber),
    });
    ports.logger.event("directoryChangePublished", {
      googleUserId: outcome.message.googleUserId,
      event: outcome.message.event,
      messageId: id,
    });
    return { status: 200, published: id };
  } catch (error) {
    if (!(error instanceof PushRejectedError)) throw error;
    // Why it was refused goes to the log only; the caller gets the same answer for every reason.
    // A `sync` handshake that beat the channel's record is routine (every channel opened, 10,000
    // calendars among them): a debug line, not a warning.
    const early = error.rejection === "UNKNOWN_CHANNEL" && resourceState(request) === "sync";
    ports.logger.event(early ? "pushEarlyHandshakeRefused" : "directoryChangeRejected", {
      code: error.code,
      details: error.details,
    });
    return PUSH_REFUSED;
  }
}

function resourceState(request: PushRequest): string | undefined {
  const entry = Object.entries(request.headers).find(([k]) => k.toLowerCase() === "x-goog-resource-state");
  const value = entry?.[1];
  return Array.isArray(value) ? value[0] : value;
}
