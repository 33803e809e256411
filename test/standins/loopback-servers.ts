import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type * as GrpcJs from "@grpc/grpc-js";

/** Binds a stand-in's gRPC server on loopback (port 0: any free port); resolves with the port. */
export function bindOnLoopback(grpc: typeof GrpcJs, server: GrpcJs.Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
}

/** Shuts a stand-in's gRPC server down, letting calls in progress finish. */
export function shutDown(server: GrpcJs.Server): Promise<void> {
  return new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
}

/** Answers an admin request with a JSON body. */
export type AdminSend = (status: number, body: unknown) => void;

/**
 * A stand-in's own route: true when it answered (or will, asynchronously); false passes it on to the
 * 404 that names the method and path.
 */
export type AdminRoute = (request: IncomingMessage, send: AdminSend) => boolean;

export interface AdminHttp {
  /** host:port on loopback. */
  host: string;
  close(): Promise<void>;
}

/** A stand-in's admin HTTP endpoint on loopback: GET /health, then its own routes, else 404. */
export async function startAdminHttp(port: number, route: AdminRoute): Promise<AdminHttp> {
  const admin = createServer((request, response) => {
    const send: AdminSend = (status, body) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.url === "/health") return send(200, { ok: true });
    if (route(request, send)) return;
    send(404, { error: `no admin route ${request.method} ${request.url}` });
  });
  admin.listen(port, "127.0.0.1");
  await once(admin, "listening");
  return {
    host: `127.0.0.1:${(admin.address() as AddressInfo).port}`,
    close() {
      admin.closeAllConnections();
      return new Promise<void>((resolve) => admin.close(() => resolve()));
    },
  };
}
