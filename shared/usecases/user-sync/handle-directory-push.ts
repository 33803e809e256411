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

/** What the webhook answers Google: 2xx for anything handled (or deliberately ignored), 4xx for forgeries. */
export interface DirectoryPushResponse {
  status: 200 | 204 | 400 | 403;
  published?: string;
}

/** Every verification failure gets the same answer, so a caller cannot probe which channel ids exist. */
const STATUS_BY_REJECTION = {
  MALFORMED: 400,
  UNKNOWN_CHANNEL: 403,
  CHANNEL_EXPIRED: 403,
  BAD_TOKEN: 403,
  RESOURCE_MISMATCH: 403,
} as const;

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
    // Google sends the "sync" handshake while watch() is still answering, before the channel is
    // recorded: nothing is published for it either way, so it is acknowledged quietly.
    if (
      error.rejection === "UNKNOWN_CHANNEL" &&
      headerValue(request.headers, "x-goog-resource-state") === "sync"
    ) {
      return { status: 204 };
    }
    ports.logger.event("directoryChangeRejected", { code: error.code, details: error.details });
    return { status: STATUS_BY_REJECTION[error.rejection] };
  }
}

function headerValue(headers: PushRequest["headers"], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
