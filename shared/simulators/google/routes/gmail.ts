import { randomBytes } from "node:crypto";
import { requireScope } from "../auth-state.js";
import {
  authenticated,
  jsonBody,
  ok,
  query,
  type Route,
  type RouteContext,
  type SimRequest,
} from "../http-kit.js";
import { apiError, notImplemented } from "../wire.js";

const SEND_SCOPES = [
  "https://mail.google.com/",
  "https://www.googleapis.com/auth/gmail.modify",
  "https://www.googleapis.com/auth/gmail.compose",
  "https://www.googleapis.com/auth/gmail.send",
];
/** Gmail's cap on one message, attachments included. */
const MAX_MESSAGE_BYTES = 35 * 1024 * 1024;

/** The top-level header block of an RFC 822 message (unfolded). */
export function parseHeaders(raw: Buffer): Record<string, string> {
  const text = raw.toString("utf8");
  const end = text.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function send(
  request: SimRequest,
  context: RouteContext,
  raw: Buffer | undefined,
  metadata: MessageMetadata = {},
) {
  const token = authenticated(request, context);
  requireScope(token, SEND_SCOPES);
  const sender = token.subject;
  const userId = decodeURIComponent(request.params.userId ?? "");
  if (!sender || (userId !== "me" && userId.toLowerCase() !== sender)) {
    throw apiError(403, "forbidden", `Delegation denied for ${sender ?? "the caller"}`);
  }
  if (!raw || raw.length === 0) {
    throw apiError(
      400,
      "invalidArgument",
      "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
    );
  }
  if (raw.length > MAX_MESSAGE_BYTES) throw apiError(400, "invalidArgument", "Message too large");
  const headers = parseHeaders(raw);
  if (!headers.to && !headers.cc && !headers.bcc)
    throw apiError(400, "invalidArgument", "Recipient address required");
  const id = randomBytes(8).toString("hex");
  const threadId = metadata.threadId ?? id;
  context.tenant.sentMail.push({ id, threadId, sender, raw, headers });
  return ok(request, { id, threadId, labelIds: ["SENT"] });
}

/** The Message resource sent beside the bytes (multipart) or with them (JSON). */
interface MessageMetadata {
  raw?: string;
  threadId?: string;
}

/** Of a sent Message's fields the simulator implements raw and threadId; others are refused. */
function checkMetadata(body: Record<string, unknown>): MessageMetadata {
  for (const key of Object.keys(body)) {
    if (key !== "raw" && key !== "threadId") throw notImplemented(`message.${key}`, "on send");
  }
  return body as MessageMetadata;
}

/**
 * uploadType=multipart: a multipart/related body whose first part is the Message metadata (JSON) and
 * whose second is the RFC 822 message, as the client libraries send media with a request body.
 */
function multipartParts(request: SimRequest): { metadata: Record<string, unknown>; media: Buffer } {
  const contentType = String(request.headers["content-type"] ?? "");
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/related/i.test(contentType) || !boundary) {
    throw apiError(400, "badRequest", "uploadType=multipart needs a multipart/related body with a boundary");
  }
  const parts: Buffer[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = request.body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (request.body.subarray(start, start + 2).toString() === "--") break;
    const next = request.body.indexOf(delimiter, start);
    if (next < 0) break;
    parts.push(request.body.subarray(start, next));
    at = next;
  }
  if (parts.length !== 2) {
    throw apiError(
      400,
      "badRequest",
      `a multipart upload has 2 parts (metadata, media), not ${parts.length}`,
    );
  }
  const [metadataPart, mediaPart] = parts.map(partBody) as [Buffer, Buffer];
  let metadata: Record<string, unknown>;
  try {
    metadata =
      metadataPart.length === 0 ? {} : (JSON.parse(metadataPart.toString("utf8")) as Record<string, unknown>);
  } catch {
    throw apiError(400, "parseError", "Invalid JSON payload received in the metadata part.");
  }
  return { metadata, media: mediaPart };
}

/** A part's body: after its header block, without the CRLF that precedes the next delimiter. */
function partBody(part: Buffer): Buffer {
  const headerEnd = part.indexOf("\r\n\r\n");
  if (headerEnd < 0) throw apiError(400, "badRequest", "a multipart part has no header block");
  let body = part.subarray(headerEnd + 4);
  if (body.subarray(-2).toString() === "\r\n") body = body.subarray(0, -2);
  return body;
}

export const gmailRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/gmail\/v1\/users\/(?<userId>[^/]+)\/messages\/send$/,
    operation: "gmail.users.messages.send",
    params: { implemented: [] },
    response: "gmailMessage",
    handle(request, context) {
      const body = checkMetadata(jsonBody(request));
      return send(request, context, body.raw ? Buffer.from(body.raw, "base64url") : undefined, body);
    },
  },
  {
    method: "POST",
    path: /^\/upload\/gmail\/v1\/users\/(?<userId>[^/]+)\/messages\/send$/,
    operation: "gmail.users.messages.send",
    params: { implemented: ["uploadType"] },
    response: "gmailMessage",
    handle(request, context) {
      const uploadType = query(request, "uploadType");
      if (uploadType === "media") return send(request, context, request.body);
      if (uploadType === "multipart") {
        const { metadata, media } = multipartParts(request);
        const checked = checkMetadata(metadata);
        if (checked.raw)
          throw apiError(400, "badRequest", "raw and an uploaded message cannot both be given");
        return send(request, context, media, checked);
      }
      if (uploadType === "resumable") throw notImplemented("uploadType", "=resumable");
      throw apiError(400, "badRequest", `Invalid uploadType: ${uploadType ?? "(none)"}`, {
        parameter: "uploadType",
      });
    },
  },
];
