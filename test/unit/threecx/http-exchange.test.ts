import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpExchange, HttpTimeoutError } from "../../../shared/adapters/threecx/http-exchange.js";

let server: Server | undefined;
let exchange: HttpExchange | undefined;
afterEach(async () => {
  exchange?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = exchange = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("HttpExchange", () => {
  it("sends method, path, headers and body, reads the whole answer, and reuses the connection", async () => {
    const seen: Array<{ method?: string; url?: string; body: string; port?: number }> = [];
    const origin = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, body, port: req.socket.remotePort });
        res.writeHead(201, { "retry-after": "3", "content-type": "application/json" });
        res.end(JSON.stringify({ echoed: body, long: "é".repeat(40_000) }));
      });
    });
    exchange = new HttpExchange(origin, 1, 5_000);
    const first = await exchange.exchange({
      method: "POST",
      path: "/xapi/v1/Users?$top=1",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ FirstName: "Zoë" }),
    });
    const second = await exchange.exchange({ method: "GET", path: "/again", headers: {} });
    expect(first.status).toBe(201);
    expect(first.headers["retry-after"]).toBe("3");
    expect(JSON.parse(first.text)).toEqual({ echoed: '{"FirstName":"Zoë"}', long: "é".repeat(40_000) });
    expect(second.status).toBe(201);
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ["POST", "/xapi/v1/Users?$top=1"],
      ["GET", "/again"],
    ]);
    expect(seen[1]?.port).toBe(seen[0]?.port);
  });

  it("rejects with a timeout when no answer comes in time", async () => {
    const origin = await serve(() => undefined);
    exchange = new HttpExchange(origin, 1, 100);
    await expect(exchange.exchange({ method: "GET", path: "/", headers: {} })).rejects.toBeInstanceOf(
      HttpTimeoutError,
    );
  });

  it("rejects an answer cut off half-way instead of returning part of it", async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("x".repeat(10));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    exchange = new HttpExchange(origin, 1, 5_000);
    await expect(exchange.exchange({ method: "GET", path: "/", headers: {} })).rejects.toMatchObject({
      code: "ECONNRESET",
    });
  });

  it("rejects with the connection error when nobody listens", async () => {
    const origin = await serve(() => undefined);
    server?.close();
    exchange = new HttpExchange(origin, 1, 5_000);
    await expect(exchange.exchange({ method: "GET", path: "/", headers: {} })).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });
});
