import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readAdminJson } from "../admin-json.js";
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
    if (request.url === "/assessments" && request.method === "GET")
      return send(200, { assessments: service.assessments });
    if (request.url === "/tokens" && request.method === "POST") {
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
      admin.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => admin.close(() => resolve())),
        new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
      ]);
    },
  };
}
