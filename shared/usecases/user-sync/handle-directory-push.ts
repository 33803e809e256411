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
 * The Directory webhook: verify the channel (known, live, token equal in constant time, resource
 * id matching), then publish only the user id and event. Anything unverified is answered without
 * publishing; the worker re-reads the truth, so nothing from the request body is trusted beyond the id.
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
    if (outcome.kind !== "directory") return { status: 204 };
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
    // Google sends a new channel's `sync` handshake while watch() is still answering, before the
    // channel is recorded: expected at every channel opening, so not a warning.
    const state = request.headers["x-goog-resource-state"];
    const earlyHandshake = error.code === "PUSH_UNKNOWN_CHANNEL" && state === "sync";
    ports.logger.event(earlyHandshake ? "directoryHandshakeBeforeRecorded" : "directoryChangeRejected", {
      code: error.code,
      details: error.details,
    });
    return PUSH_REFUSED;
  }
}
