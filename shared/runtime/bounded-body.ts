import type { IncomingMessage, ServerResponse } from "node:http";
import { Gw3cxError } from "../errors.js";

/** A request body larger than an endpoint accepts; answered 413 without reading the rest. */
export class BodyTooLargeError extends Gw3cxError<"BODY_TOO_LARGE"> {
  constructor(limitBytes: number, seenBytes: number) {
    super("BODY_TOO_LARGE", `the request body is larger than ${limitBytes} bytes (at least ${seenBytes})`, {
      details: { limitBytes, seenBytes },
    });
  }
}

/** The declared Content-Length, or undefined when the body is chunked (or the header is not a number). */
export function declaredLength(headers: IncomingMessage["headers"]): number | undefined {
  const value = Number(headers["content-length"]);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Reads a request body of at most `limitBytes`. A Content-Length over the limit is refused before
 * a byte is read; a chunked body is counted as it streams and refused as soon as it passes the
 * limit, so a sender cannot make the process buffer more than the limit.
 */
export function readBoundedBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = declaredLength(req.headers);
  if (declared !== undefined && declared > limitBytes)
    return Promise.reject(new BodyTooLargeError(limitBytes, declared));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop reading; the caller answers 413 and drops the connection (refuseTooLarge).
      req.pause();
      req.off("data", onData);
      req.off("end", onEnd);
      reject(new BodyTooLargeError(limitBytes, received));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", reject);
  });
}

/**
 * Answers 413 and drops the connection once the answer is out: the rest of the body is never
 * read, and a keep-alive connection with unread body bytes on it cannot be reused anyway.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket; // detached from req by the time the answer is out
  res.writeHead(413, { connection: "close" });
  res.end(() => socket?.destroy());
}
