import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CloudTasksClient } from "@google-cloud/tasks";
import { BOUNDARY_RATE_LIMITS, BOUNDARY_RETRY } from "../../infra/constructs/presence-boundary-queue.js";
import { createCloudTasksClient } from "../../shared/adapters/cloud-tasks/cloud-tasks-client.js";

export const PROJECT = "gw3cx-test";
export const LOCATION = "europe-west1";
export const INVOKER = "gw3cx-boundary-invoker@gw3cx-test.iam.gserviceaccount.com";

/** A request as the receiving function saw it. */
export interface Received {
  receivedAt: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A loopback HTTP endpoint playing the boundary function: records each request and answers with
 * what `answer` says (200 unless told otherwise), optionally after a delay.
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received) => number | Promise<number> = () => 200;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on("request", (request, response) => {
      const receivedAt = Date.now();
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", async () => {
        const got: Received = {
          receivedAt,
          method: request.method ?? "",
          path: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        receiver.received.push(got);
        response.statusCode = await receiver.answer(got);
        response.end();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return receiver;
  }

  url(path = "/boundary"): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const seconds = (text: string) => ({ seconds: Number(text.replace(/s$/, "")) });

/** The presence queue exactly as infra configures it (rate limits and retries). */
export const DEPLOYED_QUEUE_SETTINGS = {
  rateLimits: { ...BOUNDARY_RATE_LIMITS },
  retryConfig: {
    maxAttempts: BOUNDARY_RETRY.maxAttempts,
    minBackoff: seconds(BOUNDARY_RETRY.minBackoff),
    maxBackoff: seconds(BOUNDARY_RETRY.maxBackoff),
    maxDoublings: BOUNDARY_RETRY.maxDoublings,
  },
};

export function standInClient(host: string): CloudTasksClient {
  return createCloudTasksClient({ projectId: PROJECT, emulatorHost: host }, {});
}

/** A fresh queue of its own on the stand-in; returns its id (the last part of its name). */
export async function createQueue(
  client: CloudTasksClient,
  settings: Record<string, unknown> = DEPLOYED_QUEUE_SETTINGS,
): Promise<{ id: string; name: string }> {
  const id = `boundaries-${randomUUID().slice(0, 8)}`;
  const parent = `projects/${PROJECT}/locations/${LOCATION}`;
  const name = `${parent}/queues/${id}`;
  await client.createQueue({ parent, queue: { name, ...settings } });
  return { id, name };
}

/** Claims of a bearer JWT (not verified: the stand-in's tokens are shaped, not signed, by Google). */
export function bearerClaims(headers: IncomingHttpHeaders): Record<string, unknown> {
  const token = /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1] ?? "";
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8") || "{}");
}
