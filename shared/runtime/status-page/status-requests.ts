import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { isGw3cxError } from "../../errors.js";
import type { Gw3cxStatus } from "../../usecases/status/read-status.js";
import type { Access } from "../../usecases/status/status-access.js";
import { escapeHtml } from "./html.js";
import { renderStatusPage } from "./render-status-page.js";
import { isSameOrigin, selfOriginOf } from "./same-origin.js";

export interface StatusRequest {
  method: string;
  /** Path and query as received, e.g. "/status.json". */
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body (form-encoded for an approval). */
  body: Buffer | string;
}

export interface StatusResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApprovalOutcome {
  /** The approving run's own id and status (applied, failed, or held again). */
  runId: string;
  status: string;
}

export interface StatusPageHandlers {
  readStatus(): Promise<Gw3cxStatus>;
  /** Who is asking; the local host allows loopback, the cloud function verifies IAP or an ID token. */
  access(headers: IncomingHttpHeaders): Promise<Access>;
  approve(heldRunId: string, approver: string): Promise<ApprovalOutcome>;
  /** "http" locally, "https" behind Cloud Run. */
  scheme: "http" | "https";
  /** Locally a per-process secret the form carries: a second guard besides the origin check. */
  csrfToken?: string;
}

const HTML = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };
const SECURITY_HEADERS = {
  // No script, no frames, no outside resources: the page needs only its inline style sheet.
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  // Not no-referrer: under it a browser sends "Origin: null" with the page's own form posts.
  "referrer-policy": "same-origin",
};

function respond(status: number, headers: Record<string, string>, body: string): StatusResponse {
  return { status, headers: { ...SECURITY_HEADERS, ...headers }, body };
}

function refusal(status: number, title: string, reason: string): StatusResponse {
  return respond(
    status,
    HTML,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1><p>${escapeHtml(reason)}</p></main></body></html>`,
  );
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Runs the same way on the local host and in the cloud function: GET /, GET /status.json, POST /approve. */
export async function handleStatusRequest(
  request: StatusRequest,
  handlers: StatusPageHandlers,
): Promise<StatusResponse> {
  const url = new URL(request.url, "http://status.invalid");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const isPage = path === "/" || path === "/status.json";
  if (!isPage && path !== "/approve") return respond(404, { "content-type": "text/plain" }, "not found\n");
  if (isPage && request.method !== "GET" && request.method !== "HEAD")
    return respond(405, { allow: "GET", "content-type": "text/plain" }, "method not allowed\n");
  if (path === "/approve" && request.method !== "POST")
    return respond(405, { allow: "POST", "content-type": "text/plain" }, "method not allowed\n");

  // Checked before anything is verified or read: a cross-site post learns nothing.
  if (
    request.method === "POST" &&
    !isSameOrigin(request.headers, selfOriginOf(request.headers, handlers.scheme))
  )
    return refusal(403, "Refused", "An approval must be sent from the status page itself.");

  const access = await handlers.access(request.headers);
  if (!access.allowed)
    return refusal(access.status, access.status === 401 ? "Sign-in required" : "Not allowed", access.reason);

  if (path === "/status.json") {
    const status = await handlers.readStatus();
    return respond(
      200,
      { "content-type": "application/json", "cache-control": "no-store" },
      JSON.stringify(status),
    );
  }
  if (path === "/") {
    const approved = url.searchParams.get("approved");
    const status = await handlers.readStatus();
    const notice = approved ? approvalNotice(status, approved) : undefined;
    return respond(
      200,
      HTML,
      renderStatusPage(status, {
        viewer: access.viewer,
        ...(notice ? { notice } : {}),
        ...(handlers.csrfToken ? { csrfToken: handlers.csrfToken } : {}),
      }),
    );
  }

  const form = new URLSearchParams(request.body.toString());
  if (handlers.csrfToken !== undefined && !sameToken(form.get("csrf"), handlers.csrfToken))
    return refusal(
      403,
      "Refused",
      "The approval form is stale or was not sent by the status page; reload it.",
    );
  const runId = form.get("runId") ?? "";
  if (!/^[A-Za-z0-9._:-]{1,200}$/.test(runId))
    return refusal(
      400,
      "Bad request",
      `runId must name a held run; got ${JSON.stringify(runId.slice(0, 80))}.`,
    );
  try {
    const outcome = await handlers.approve(runId, access.viewer);
    // Back to the page (a reload does not post again), which says what became of the run.
    return respond(
      303,
      { location: `./?approved=${encodeURIComponent(outcome.runId)}`, "content-type": "text/plain" },
      "",
    );
  } catch (error) {
    if (isGw3cxError(error, "RUN_NOT_FOUND") || isGw3cxError(error, "RUN_NOT_HELD"))
      return refusal(409, "Not approved", error.message);
    throw error;
  }
}

/** What became of an approval, told from the stored run (never from the query string's text). */
function approvalNotice(
  status: Gw3cxStatus,
  runId: string,
): { kind: "ok" | "bad"; text: string } | undefined {
  const run = status.runs.find((r) => r.runId === runId);
  if (!run) return undefined;
  const held = status.runs.find((r) => r.runId === run.approves);
  if (run.status === "applied")
    return {
      kind: "ok",
      text: `Approved: run ${run.runId} applied the changes held in run ${run.approves ?? "?"}${held?.approvedBy ? ` (approved by ${held.approvedBy})` : ""}.`,
    };
  if (run.status === "held")
    return {
      kind: "bad",
      text: `Run ${run.runId} was held again: it would now disable users the approved run did not list.`,
    };
  return { kind: "bad", text: `Run ${run.runId} ended ${run.status}.` };
}
