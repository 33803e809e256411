/**
 * One HTTP request to the PBX and its answer read whole, over keep-alive connections of Node's
 * own http/https modules: no WHATWG streams or Request/Response objects per call (global fetch
 * takes about twice the CPU per request, see BENCHMARKS.md), and nothing more to load or warm up
 * than Node itself brings.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface HttpRequest {
  method: string;
  /** Path and query, from the origin. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** No byte came for timeoutMs: before the answer started, or while it was being read. */
export class HttpTimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/** No connection within connectTimeoutMs: the request never reached the server. */
export class HttpConnectTimeoutError extends Error {
  override readonly name = "ConnectTimeoutError";
}

/** Requests to one origin, at most `maxSockets` connections, kept open between requests. */
export class HttpExchange {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly target: { protocol: string; hostname: string; port: string };

  /**
   * `connectTimeoutMs` bounds opening a connection (a host that drops packets would otherwise
   * hold each attempt for the whole `timeoutMs`); `timeoutMs` bounds any wait for a byte after.
   */
  constructor(
    origin: string,
    maxSockets: number,
    private readonly timeoutMs: number,
    private readonly connectTimeoutMs: number = timeoutMs,
  ) {
    const url = new URL(origin);
    const https = url.protocol === "https:";
    this.agent = https
      ? new HttpsAgent({ keepAlive: true, maxSockets })
      : new HttpAgent({ keepAlive: true, maxSockets });
    this.send = https ? httpsRequest : httpRequest;
    this.target = { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ""), port: url.port };
  }

  /** Resolves with the whole answer; rejects with the network error, or an HttpTimeoutError. */
  exchange(request: HttpRequest): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
      const outgoing = this.send(
        {
          ...this.target,
          method: request.method,
          path: request.path,
          headers,
          agent: this.agent,
          timeout: this.timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("end", () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          incoming.on("error", reject);
          // The connection closed before the answer was complete (a promise settles only once).
          incoming.on("close", () => {
            if (!incoming.complete)
              reject(Object.assign(new Error("the answer was cut off"), { code: "ECONNRESET" }));
          });
        },
      );
      outgoing.on("timeout", () =>
        outgoing.destroy(new HttpTimeoutError(`no answer within ${this.timeoutMs} ms`)),
      );
      outgoing.on("socket", (socket) => {
        // A kept-alive socket is already connected; only a new one is timed here.
        if (!socket.connecting) return;
        const timer = setTimeout(
          () =>
            outgoing.destroy(
              new HttpConnectTimeoutError(`connect timed out after ${this.connectTimeoutMs} ms`),
            ),
          this.connectTimeoutMs,
        );
        socket.once("connect", () => clearTimeout(timer));
        socket.once("close", () => clearTimeout(timer));
      });
      outgoing.on("error", reject);
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
