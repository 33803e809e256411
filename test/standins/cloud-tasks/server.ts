import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readAdminJson } from "../admin-json.js";
import { CloudTasksService } from "./cloud-tasks-service.js";
import { loadCloudTasksService } from "./protos.js";

export interface CloudTasksServer {
  /** gRPC host:port on loopback. */
  host: string;
  /** Admin HTTP host:port on loopback. */
  adminHost: string;
  service: CloudTasksService;
  stop(): Promise<void>;
}

/** Starts the gRPC service and its admin HTTP endpoint on loopback (port 0: any free port). */
export async function startCloudTasksServer(options: {
  port: number;
  adminPort: number;
  nameReservationMs: number;
}): Promise<CloudTasksServer> {
  const { grpc, service: definition } = loadCloudTasksService();
  const service = new CloudTasksService({ nameReservationMs: options.nameReservationMs });
  const server = new grpc.Server();
  server.addService(definition, service.handlers(grpc));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  const admin = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.url === "/health") return send(200, { ok: true });
    if (request.url === "/dispatches" && request.method === "GET")
      return send(200, { dispatches: service.dispatcher.records });
    if (request.url === "/dispatches" && request.method === "DELETE") {
      service.dispatcher.records.length = 0;
      return send(200, {});
    }
    if (request.url === "/routes" && request.method === "PUT") {
      readAdminJson(request)
        .then((routes) => {
          for (const [from, to] of Object.entries(routes)) {
            const origin = new URL(from).origin;
            if (typeof to !== "string" || new URL(to).origin !== to.replace(/\/$/, ""))
              throw new Error(
                `route ${from}: expected an origin like http://127.0.0.1:8080, got ${JSON.stringify(to)}`,
              );
            service.dispatcher.routes.set(origin, to.replace(/\/$/, ""));
          }
          send(200, { routes: Object.fromEntries(service.dispatcher.routes) });
        })
        .catch((error: unknown) => send(400, { error: (error as Error).message }));
      return;
    }
    return send(404, { error: `no admin route ${request.method} ${request.url}` });
  });
  admin.listen(options.adminPort, "127.0.0.1");
  await once(admin, "listening");

  return {
    host: `127.0.0.1:${port}`,
    adminHost: `127.0.0.1:${(admin.address() as AddressInfo).port}`,
    service,
    async stop() {
      service.dispatcher.stop();
      admin.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => admin.close(() => resolve())),
        new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
      ]);
    },
  };
}
