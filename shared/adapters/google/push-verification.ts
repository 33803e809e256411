import { createHash, timingSafeEqual } from "node:crypto";
import type { DirectoryUserEvent } from "../../ports/directory.js";
import { type ChannelLookup, type PushOutcome, PushRejectedError } from "../../ports/push.js";

/** Header bag as Node (or the Functions Framework) hands it over; names in any case. */
export type PushHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface PushRequest {
  headers: PushHeaders;
  /** Raw body: Directory sends a small user JSON, Calendar sends nothing. */
  body?: string | Buffer;
}

export interface PushVerifierOptions {
  /** The shared secret every channel was opened with (settings google.channelToken). */
  expectedToken: string;
  lookupChannel: ChannelLookup;
  now?: () => Date;
}

const DIRECTORY_EVENTS = new Set<DirectoryUserEvent>(["add", "delete", "update", "undelete", "makeAdmin"]);
const CALENDAR_STATES = new Set(["exists", "not_exists"]);

function header(headers: PushHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Equal in constant time whatever the lengths (both sides are hashed to the same size first). */
export function tokensEqual(received: string, expected: string): boolean {
  const a = createHash("sha256").update(received, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/**
 * Checks one Google push notification against the channels gw3cx opened and turns it into the small
 * message the bus carries. Throws PushRejectedError for anything that must not be published; the
 * `sync` handshake comes back as kind "sync" (acknowledge, publish nothing).
 */
export async function verifyPushNotification(
  request: PushRequest,
  options: PushVerifierOptions,
): Promise<PushOutcome> {
  const channelId = header(request.headers, "X-Goog-Channel-ID");
  const resourceId = header(request.headers, "X-Goog-Resource-ID");
  const state = header(request.headers, "X-Goog-Resource-State");
  const messageNumber = Number(header(request.headers, "X-Goog-Message-Number"));
  if (!channelId || !resourceId || !state || !Number.isSafeInteger(messageNumber)) {
    throw new PushRejectedError("MALFORMED", "a required X-Goog-* header is missing or invalid", {
      details: { channelId, state },
    });
  }

  const channel = await options.lookupChannel(channelId);
  if (!channel) {
    throw new PushRejectedError("UNKNOWN_CHANNEL", "no open channel has this id", { details: { channelId } });
  }
  const now = options.now?.() ?? new Date();
  if (channel.expiration && channel.expiration.getTime() <= now.getTime()) {
    throw new PushRejectedError("CHANNEL_EXPIRED", "the channel has expired", {
      details: { channelId, expiration: channel.expiration.toISOString() },
    });
  }
  const token = header(request.headers, "X-Goog-Channel-Token");
  if (token === undefined || !tokensEqual(token, options.expectedToken)) {
    throw new PushRejectedError("BAD_TOKEN", "the channel token does not match", { details: { channelId } });
  }
  if (resourceId !== channel.resourceId) {
    throw new PushRejectedError("RESOURCE_MISMATCH", "the resource id is not the one this channel watches", {
      details: { channelId },
    });
  }

  if (state === "sync") return { kind: "sync", channelId };

  if (channel.kind === "calendar") {
    if (!CALENDAR_STATES.has(state) || !channel.googleUserId) {
      throw new PushRejectedError("MALFORMED", `unexpected calendar resource state "${state}"`, {
        details: { channelId },
      });
    }
    return { kind: "calendar", messageNumber, message: { googleUserId: channel.googleUserId, channelId } };
  }

  if (!DIRECTORY_EVENTS.has(state as DirectoryUserEvent)) {
    throw new PushRejectedError("MALFORMED", `unexpected directory resource state "${state}"`, {
      details: { channelId },
    });
  }
  const googleUserId = directoryUserId(request.body);
  if (!googleUserId) {
    throw new PushRejectedError("MALFORMED", "the directory notification carries no user id", {
      details: { channelId },
    });
  }
  return { kind: "directory", messageNumber, message: { googleUserId, event: state as DirectoryUserEvent } };
}

function directoryUserId(body: string | Buffer | undefined): string | undefined {
  if (body === undefined || body.length === 0) return undefined;
  try {
    const parsed = JSON.parse(body.toString()) as { id?: unknown };
    return typeof parsed.id === "string" && parsed.id.length > 0 ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}
