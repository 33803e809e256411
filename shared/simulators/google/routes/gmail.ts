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
import { apiError } from "../wire.js";

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

function send(request: SimRequest, context: RouteContext, raw: Buffer | undefined) {
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
  context.tenant.sentMail.push({ id, threadId: id, sender, raw, headers });
  return ok(request, { id, threadId: id, labelIds: ["SENT"] });
}

export const gmailRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/gmail\/v1\/users\/(?<userId>[^/]+)\/messages\/send$/,
    operation: "gmail.users.messages.send",
    handle(request, context) {
      const body = jsonBody<{ raw?: string }>(request);
      return send(request, context, body.raw ? Buffer.from(body.raw, "base64url") : undefined);
    },
  },
  {
    method: "POST",
    path: /^\/upload\/gmail\/v1\/users\/(?<userId>[^/]+)\/messages\/send$/,
    operation: "gmail.users.messages.send",
    handle(request, context) {
      if (query(request, "uploadType") !== "media") {
        throw apiError(400, "badRequest", "the simulator accepts uploadType=media only");
      }
      return send(request, context, request.body);
    },
  },
];
