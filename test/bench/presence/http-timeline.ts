/**
 * Every HTTP request of this process on a timeline, from Node's diagnostics channels: requests sent
 * with global fetch (undici: the Google clients, and the Workspace simulator's push POSTs), requests
 * sent with node:http (the 3CX client), and requests arriving at any node:http server here (the 3CX
 * simulator among them). Nothing is wrapped or patched: the benchmark watches the product as it runs.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";

export interface HttpMark {
  /** sent: a client started the request; arrived: a server in this process began handling it. */
  side: "sent" | "arrived";
  method: string;
  /** host:port the request is addressed to. */
  host: string;
  path: string;
  atMs: number;
  /** Request headers (sent by fetch only; the push POSTs' X-Goog-* headers). */
  headers?: Record<string, string>;
}

type UndiciRequest = { method: string; origin: string; path: string; headers: string[] | string };
type ClientRequest = { method: string; host: string; path: string; getHeader(name: string): unknown };
type ServerRequest = { method?: string; url?: string; headers: Record<string, string | undefined> };

function undiciHeaders(raw: string[] | string): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  } else {
    for (const line of raw.split("\r\n")) {
      const cut = line.indexOf(":");
      if (cut > 0) out[line.slice(0, cut).trim().toLowerCase()] = line.slice(cut + 1).trim();
    }
  }
  return out;
}

export class HttpTimeline {
  readonly marks: HttpMark[] = [];
  private readonly handlers: Array<[string, (message: unknown) => void]> = [
    [
      "undici:request:create",
      (message) => {
        const { request } = message as { request: UndiciRequest };
        this.marks.push({
          side: "sent",
          method: request.method,
          host: new URL(request.origin).host,
          path: request.path,
          atMs: performance.now(),
          headers: undiciHeaders(request.headers),
        });
      },
    ],
    [
      "http.client.request.start",
      (message) => {
        const { request } = message as { request: ClientRequest };
        this.marks.push({
          side: "sent",
          method: request.method,
          host: String(request.getHeader("host") ?? request.host),
          path: request.path,
          atMs: performance.now(),
        });
      },
    ],
    [
      "http.server.request.start",
      (message) => {
        const { request } = message as { request: ServerRequest };
        this.marks.push({
          side: "arrived",
          method: request.method ?? "",
          host: request.headers.host ?? "",
          path: request.url ?? "",
          atMs: performance.now(),
        });
      },
    ],
  ];

  constructor() {
    for (const [name, handler] of this.handlers) subscribe(name, handler);
  }

  clear(): void {
    this.marks.length = 0;
  }

  close(): void {
    for (const [name, handler] of this.handlers) unsubscribe(name, handler);
  }
}

/** host:port of a base URL, as request marks name it. */
export const hostOf = (url: string) => new URL(url).host;
