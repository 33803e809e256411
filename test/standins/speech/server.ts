import { bindOnLoopback, shutDown, startAdminHttp } from "../loopback-servers.js";
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
  const port = await bindOnLoopback(grpc, server, options.port);
  const admin = await startAdminHttp(options.adminPort, (request, send) => {
    if (request.url !== "/calls" || request.method !== "GET") return false;
    send(200, { calls: service.calls });
    return true;
  });
  return {
    host: `127.0.0.1:${port}`,
    adminHost: admin.host,
    service,
    async stop() {
      await Promise.all([admin.close(), shutDown(server)]);
    },
  };
}
