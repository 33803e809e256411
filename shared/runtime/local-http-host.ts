import { randomBytes } from "node:crypto";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Access } from "../usecases/status/status-access.js";
import type { StatusConfig } from "../usecases/status/status-config.js";
import { handleDirectoryPush, MAX_PUSH_BODY_BYTES } from "../usecases/user-sync/handle-directory-push.js";
import { BodyTooLargeError, readBoundedBody, refuseTooLarge } from "./bounded-body.js";
import type { Runtime } from "./embedded-runtime.js";
import { embeddedStatusHandlers } from "./embedded-status.js";
import { handleStatusRequest } from "./status-page/status-requests.js";
import { STORAGE_LINK_PREFIX, serveStorageLink } from "./storage-link-route.js";

export interface LocalHost {
  url: string;
  webhookUrl: string;
  close(): Promise<void>;
}

/** An approval form is a few hundred bytes. */
const MAX_FORM_BYTES = 8 * 1024;

/**
 * Only this machine, by the name it was asked for: the socket is bound to loopback, and a Host
 * header naming anything else (a DNS-rebinding page that resolved its own name to 127.0.0.1) is
 * refused, so no web page can read or approve through the visitor's browser.
 */
function loopbackAccess(port: number): (headers: IncomingHttpHeaders) => Promise<Access> {
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  return async (headers) =>
    allowed.has(headers.host ?? "")
      ? { allowed: true, viewer: "local admin (loopback)" }
      : {
          allowed: false,
          status: 403,
          reason: "The local status page answers only to 127.0.0.1 and localhost.",
        };
}

/**
 * Hosts the HTTP functions of the single-machine default on one loopback port: the Directory
 * webhook (as the cloud function would receive it), the status page (the cloud's statusPage
 * function runs the same request handler) and the local storage folder's signed read links.
 */
export async function startLocalHost(
  runtime: Runtime,
  channelToken: string,
  port = 0,
  statusConfig?: StatusConfig,
): Promise<LocalHost> {
  const server: Server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // Made per process: a page from an earlier `npm start` cannot post to this one.
  const csrfToken = randomBytes(24).toString("base64url");
  let status: ReturnType<typeof embeddedStatusHandlers> | undefined;
  const access = (headers: IncomingHttpHeaders) =>
    loopbackAccess((server.address() as AddressInfo).port)(headers);
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path.startsWith(STORAGE_LINK_PREFIX) && runtime.storageLinks) {
      // A link is its own authority (signed, expiring), but like every page here only on loopback.
      if (!(await access(req.headers)).allowed) return void res.writeHead(403).end();
      const { key, storage } = runtime.storageLinks;
      return serveStorageLink(req, res, { key, storage, now: () => new Date() });
    }
    if (req.method === "POST" && path === "/directoryWebhook") {
      let body: Buffer;
      try {
        body = await readBoundedBody(req, MAX_PUSH_BODY_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        refuseTooLarge(req, res);
        return;
      }
      const response = await handleDirectoryPush({ headers: req.headers, body }, runtime.push, channelToken);
      res.writeHead(response.status).end();
      return;
    }
    let body: Buffer = Buffer.alloc(0);
    if (req.method === "POST") {
      try {
        body = await readBoundedBody(req, MAX_FORM_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        refuseTooLarge(req, res);
        return;
      }
    }
    status ??= embeddedStatusHandlers(runtime, statusConfig, { access, csrfToken });
    const response = await handleStatusRequest(
      { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body },
      status,
    );
    res.writeHead(response.status, response.headers).end(req.method === "HEAD" ? undefined : response.body);
  };
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  runtime.storageLinks?.servedAt(url);
  return {
    url,
    webhookUrl: `${url}/directoryWebhook`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A browser keeps its connection to the status page open; close() alone would wait for it.
        server.closeAllConnections();
      }),
  };
}
