import { readAdminJson } from "../admin-json.js";
import { bindOnLoopback, shutDown, startAdminHttp } from "../loopback-servers.js";
import { loadRecaptchaService } from "./protos.js";
import { RecaptchaService } from "./recaptcha-service.js";

export interface RecaptchaServer {
  /** gRPC host:port on loopback. */
  host: string;
  /** Admin HTTP host:port on loopback. */
  adminHost: string;
  service: RecaptchaService;
  stop(): Promise<void>;
}

/**
 * The gRPC service and its admin HTTP endpoint on loopback (port 0: any free port). Admin:
 * POST /tokens {siteKey, action, score, hostname, ageMs?} -> {token}; GET /assessments; GET /health.
 */
export async function startRecaptchaServer(options: {
  port: number;
  adminPort: number;
}): Promise<RecaptchaServer> {
  const { grpc, service: definition } = loadRecaptchaService();
  const service = new RecaptchaService();
  const server = new grpc.Server();
  server.addService(definition, service.handlers(grpc, definition));
  const port = await bindOnLoopback(grpc, server, options.port);
  const admin = await startAdminHttp(options.adminPort, (request, send) => {
    if (request.url === "/assessments" && request.method === "GET") {
      send(200, { assessments: service.assessments });
      return true;
    }
    if (request.url !== "/tokens" || request.method !== "POST") return false;
    void readAdminJson(request).then(
      (body) => {
        const { siteKey, action, score, hostname, ageMs } = body;
        if (typeof siteKey !== "string" || typeof action !== "string" || typeof score !== "number")
          return send(400, { error: "siteKey, action (strings) and score (number) are required" });
        const token = service.mint({
          siteKey,
          action,
          score,
          hostname: typeof hostname === "string" ? hostname : "localhost",
          ageMs: typeof ageMs === "number" ? ageMs : 0,
        });
        return send(200, { token });
      },
      (error: unknown) => send(400, { error: String(error) }),
    );
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
