import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { LocalLinkKey } from "../adapters/local/local-link-key.js";
import { isGw3cxError } from "../errors.js";
import type { ObjectStorage } from "../ports/object-storage.js";

/** Where the local HTTP host serves read links: `GET /storage/<path>?expires=..&signature=..`. */
export const STORAGE_LINK_PREFIX = "/storage/";

export interface StorageLinkDeps {
  storage: ObjectStorage;
  key: LocalLinkKey;
  now: () => Date;
}

/**
 * Serves one signed read link on loopback, streaming the object. A link that is expired, forged
 * or altered gets 403 with no body, the same answer for each, so nothing is learnt from it.
 */
export async function serveStorageLink(
  req: IncomingMessage,
  res: ServerResponse,
  deps: StorageLinkDeps,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  let path: string;
  try {
    path = url.pathname.slice(STORAGE_LINK_PREFIX.length).split("/").map(decodeURIComponent).join("/");
  } catch {
    res.writeHead(403).end();
    return;
  }
  const expires = Number(url.searchParams.get("expires"));
  const signature = url.searchParams.get("signature") ?? "";
  if (!deps.key.verify(path, expires, signature, deps.now())) {
    res.writeHead(403).end();
    return;
  }
  const object = await deps.storage.stat(path).catch((error: unknown) => {
    if (isGw3cxError(error, "STORAGE_INVALID_PATH")) return undefined;
    throw error;
  });
  if (!object) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    "content-type": object.contentType ?? "application/octet-stream",
    "content-length": String(object.size),
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(path.slice(path.lastIndexOf("/") + 1))}`,
    "cache-control": "private, no-store",
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  await pipeline(await deps.storage.openReadStream(path), res);
}
