import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readStatus } from "../usecases/status/read-status.js";
import { handleDirectoryPush, MAX_PUSH_BODY_BYTES } from "../usecases/user-sync/handle-directory-push.js";
import { BodyTooLargeError, readBoundedBody, refuseTooLarge } from "./bounded-body.js";
import type { Runtime } from "./embedded-runtime.js";
import { renderStatusPage } from "./status-page.js";

export interface LocalHost {
  url: string;
  webhookUrl: string;
  close(): Promise<void>;
}

/**
 * Hosts the HTTP functions of the single-machine default on one loopback port: the Directory
 * webhook (as the cloud function would receive it) and the status page.
 */
export async function startLocalHost(runtime: Runtime, channelToken: string, port = 0): Promise<LocalHost> {
  const server: Server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
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
    if (req.method === "GET" && (path === "/" || path === "/status.json")) {
      const status = await readStatus(runtime.userSync.state, new Date());
      if (path === "/status.json") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(status));
      } else {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(renderStatusPage(status));
      }
      return;
    }
    res.writeHead(404).end();
  };
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
