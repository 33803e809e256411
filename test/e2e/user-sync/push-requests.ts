import { request } from "node:http";

/** What a caller of the webhook can observe: status, headers (the clock's Date aside) and body. */
export interface WebhookAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * POSTs to a webhook with node:http, so every response header is seen as sent. `chunked` sends the
 * body in 1 KB pieces with no Content-Length. The server may answer and hang up before the body is
 * all sent (a 413); the answer is what counts, so a write error after it is ignored.
 */
export function postRaw(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  options: { chunked?: boolean } = {},
): Promise<WebhookAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      {
        method: "POST",
        headers: options.chunked ? headers : { ...headers, "content-length": String(body.length) },
      },
      (res) => {
        answered = true;
        let text = "";
        res.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on("end", () => {
          const { date: _date, ...rest } = res.headers;
          resolve({ status: res.statusCode ?? 0, headers: rest, body: text });
        });
        res.on("error", reject);
      },
    );
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (!options.chunked) {
      req.end(body);
      return;
    }
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length && !req.destroyed) {
        const piece = body.subarray(offset, offset + 1024);
        offset += piece.length;
        if (!req.write(piece)) {
          req.once("drain", writeMore);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    writeMore();
  });
}

export interface KnownChannel {
  id: string;
  resourceId: string;
}

/** A Directory notification's headers for a channel, as Google sends them. */
export function pushHeaders(channel: KnownChannel, token: string, state = "update"): Record<string, string> {
  return {
    "x-goog-channel-id": channel.id,
    "x-goog-channel-token": token,
    "x-goog-resource-id": channel.resourceId,
    "x-goog-resource-state": state,
    "x-goog-message-number": "42",
    "content-type": "application/json",
  };
}

export const userBody = (googleUserId: string, padding = 0): Buffer =>
  Buffer.from(
    JSON.stringify({
      kind: "admin#directory#user",
      id: googleUserId,
      primaryEmail: "ada@example.com",
      ...(padding ? { padding: "x".repeat(padding) } : {}),
    }),
  );

/**
 * Every way a notification fails verification, from a caller who knows one live channel id (and
 * one that has expired) but not the token. They must all be answered alike.
 */
export function forgeries(
  live: KnownChannel,
  expired: KnownChannel,
  token: string,
): Array<{ name: string; headers: Record<string, string> }> {
  const unknown = { id: "00000000-0000-4000-8000-000000000000", resourceId: live.resourceId };
  const missingNumber = pushHeaders(live, "guess");
  delete missingNumber["x-goog-message-number"];
  return [
    { name: "known channel, bad token", headers: pushHeaders(live, "guess") },
    { name: "known channel, bad token, sync", headers: pushHeaders(live, "guess", "sync") },
    { name: "unknown channel", headers: pushHeaders(unknown, token) },
    { name: "unknown channel, sync", headers: pushHeaders(unknown, token, "sync") },
    { name: "expired channel", headers: pushHeaders(expired, token) },
    { name: "expired channel, sync", headers: pushHeaders(expired, token, "sync") },
    { name: "wrong resource id", headers: pushHeaders({ id: live.id, resourceId: "not-this-one" }, token) },
    { name: "a required header missing", headers: missingNumber },
  ];
}
