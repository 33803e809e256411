import type { IncomingMessage } from "node:http";

/** A stand-in admin request's JSON object body ({} when empty); anything else throws. */
export async function readAdminJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("expected a JSON object");
  return parsed as Record<string, unknown>;
}
