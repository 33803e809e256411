import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ObjectAccess } from "./object-access.js";
import { loadSpeechServices } from "./protos.js";
import { SpeechService } from "./speech-service.js";

export interface SpeechServer {
  /** gRPC host:port on loopback. */
  host: string;
  /** Admin HTTP host:port on loopback. */
  adminHost: string;
  service: SpeechService;
  stop(): Promise<void>;
}

/**
 * The Speech v2 and Operations services on loopback (port 0: any free port), and an admin HTTP
 * endpoint: GET /calls (each Recognize/BatchRecognize as understood), GET /health.
 */
export async function startSpeechServer(options: {
  port: number;
  adminPort: number;
  objects: ObjectAccess;
}): Promise<SpeechServer> {
  const { grpc, speech, operations } = loadSpeechServices();
  const service = new SpeechService(options.objects);
  // Above Speech's own 10 MB inline limit, so that limit is answered as Speech words it.
  const server = new grpc.Server({ "grpc.max_receive_message_length": 32 * 1024 * 1024 });
  server.addService(speech, service.speechHandlers(grpc));
  server.addService(operations, service.operationsHandlers(grpc));
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
    if (request.url === "/calls" && request.method === "GET") return send(200, { calls: service.calls });
    return send(404, { error: `no admin route ${request.method} ${request.url}` });
  });
  admin.listen(options.adminPort, "127.0.0.1");
  await once(admin, "listening");
  return {
    host: `127.0.0.1:${port}`,
    adminHost: `127.0.0.1:${(admin.address() as AddressInfo).port}`,
    service,
    async stop() {
      admin.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => admin.close(() => resolve())),
        new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
      ]);
    },
  };
}
