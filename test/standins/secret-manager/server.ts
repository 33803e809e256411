import { bindOnLoopback, shutDown } from "../loopback-servers.js";
import { loadSecretManagerService } from "./protos.js";
import { SecretManagerService } from "./secret-manager-service.js";

export interface SecretManagerServer {
  /** gRPC host:port on loopback: SECRET_MANAGER_EMULATOR_HOST. */
  host: string;
  service: SecretManagerService;
  stop(): Promise<void>;
}

/** The Secret Manager stand-in on loopback (port 0: any free port). */
export async function startSecretManagerServer(
  options: { port?: number } = {},
): Promise<SecretManagerServer> {
  const { grpc, service: definition } = loadSecretManagerService();
  const service = new SecretManagerService();
  const server = new grpc.Server();
  server.addService(definition, service.handlers(grpc, definition));
  const port = await bindOnLoopback(grpc, server, options.port ?? 0);
  return {
    host: `127.0.0.1:${port}`,
    service,
    stop: () => shutDown(server),
  };
}
