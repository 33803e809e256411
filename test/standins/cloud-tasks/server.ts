import { readAdminJson } from "../admin-json.js";
import { bindOnLoopback, shutDown, startAdminHttp } from "../loopback-servers.js";
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
  const port = await bindOnLoopback(grpc, server, options.port);
  const admin = await startAdminHttp(options.adminPort, (request, send) => {
    if (request.url === "/dispatches" && request.method === "GET") {
      send(200, { dispatches: service.dispatcher.records });
      return true;
    }
    if (request.url === "/dispatches" && request.method === "DELETE") {
      service.dispatcher.records.length = 0;
      send(200, {});
      return true;
    }
    if (request.url !== "/routes" || request.method !== "PUT") return false;
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
    return true;
  });

  return {
    host: `127.0.0.1:${port}`,
    adminHost: admin.host,
    service,
    async stop() {
      service.dispatcher.stop();
      await Promise.all([admin.close(), shutDown(server)]);
    },
  };
}
