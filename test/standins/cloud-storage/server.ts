import { createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readAdminJson } from "../admin-json.js";
import { GcsError, invalid, notImplemented } from "./errors.js";
import { parseMultipartRelated } from "./multipart.js";
import { Notifier } from "./notifier.js";
import { bucketResource, notificationResource, objectResource } from "./resources.js";
import { verifyV4SignedUrl, XmlError } from "./signed-url.js";
import { CloudStorageModel, newEtag, type Preconditions, type StoredObject } from "./store.js";

export interface CloudStorageServer {
  /** JSON API host:port on loopback (STORAGE_EMULATOR_HOST is http:// and this). */
  host: string;
  adminHost: string;
  model: CloudStorageModel;
  notifier: Notifier;
  stop(): Promise<void>;
}

interface ObjectFields {
  contentType?: string;
  metadata?: Record<string, string>;
  md5Hash?: string;
  crc32c?: string;
}

interface ResumableSession {
  bucket: string;
  name: string;
  fields: ObjectFields;
  conditions: Preconditions;
  chunks: Buffer[];
  received: number;
  finished?: StoredObject;
}

const PRECONDITIONS = [
  "ifGenerationMatch",
  "ifGenerationNotMatch",
  "ifMetagenerationMatch",
  "ifMetagenerationNotMatch",
];
/** Fields of an object resource a write may set; any other is refused (501), never dropped. */
const WRITABLE_OBJECT_FIELDS = new Set(["name", "bucket", "contentType", "metadata", "md5Hash", "crc32c"]);
const NOTIFICATION_FIELDS = new Set([
  "topic",
  "payload_format",
  "event_types",
  "object_name_prefix",
  "custom_attributes",
]);
const EVENT_TYPES = new Set(["OBJECT_FINALIZE", "OBJECT_DELETE", "OBJECT_METADATA_UPDATE", "OBJECT_ARCHIVE"]);

/**
 * The Cloud Storage JSON API as @google-cloud/storage 7.x calls it, on loopback. Paths are served
 * under /storage/v1 and, as Cloud Storage emulators do for STORAGE_EMULATOR_HOST, at the root.
 * Admin: GET /health; POST /signers {account, publicKeyPem}; POST /pubsub {host};
 * GET /notifications -> {published, failures}; POST /clock {offsetMs} moves the stand-in's clock.
 */
export async function startCloudStorageServer(options: {
  port: number;
  adminPort: number;
  pubsubHost?: string;
}): Promise<CloudStorageServer> {
  let base = "";
  const notifier = new Notifier(options.pubsubHost, () => base);
  const model = new CloudStorageModel((bucket, event) => notifier.notify(bucket, event));
  const sessions = new Map<string, ResumableSession>();
  const signers = new Map<string, KeyObject>();
  let clockOffsetMs = 0;
  const now = () => new Date(Date.now() + clockOffsetMs);

  const server = createServer((req, res) => {
    base = `http://${req.headers.host}`;
    handle(req, res).catch((error: unknown) => {
      if (error instanceof XmlError) {
        res.writeHead(error.status, { "content-type": "application/xml; charset=UTF-8" }).end(error.body());
        return;
      }
      const answer =
        error instanceof GcsError
          ? error
          : new GcsError(500, "backendError", error instanceof Error ? error.message : String(error));
      if (res.headersSent) return void res.destroy();
      if (answer.status === 304) return void res.writeHead(304).end();
      res
        .writeHead(answer.status, { "content-type": "application/json; charset=UTF-8" })
        .end(JSON.stringify(answer));
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const url = new URL(rawUrl, "http://stand-in");
    const rawPath = rawUrl.split("?")[0] ?? "/";
    const query = url.searchParams;
    const segments = rawPath.split("/").slice(1).map(decodeURIComponent);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(body));
    };

    // Upload endpoint: /upload/storage/v1/b/BUCKET/o
    if (
      segments[0] === "upload" &&
      segments[1] === "storage" &&
      segments[2] === "v1" &&
      segments[3] === "b" &&
      segments[5] === "o" &&
      segments.length === 6
    ) {
      return upload(req, res, segments[4] as string, query);
    }
    // JSON API: /storage/v1/b/... or /b/...; downloads also at /download/storage/v1/b/...
    let api = segments;
    if (api[0] === "download" && api[1] === "storage" && api[2] === "v1") api = api.slice(3);
    else if (api[0] === "storage" && api[1] === "v1") api = api.slice(2);
    if (api[0] === "b") return jsonApi(req, res, method, api.slice(1), query, json);
    // Anything else is the XML API path style /BUCKET/OBJECT: only V4 signed GETs are served.
    return signedGet(req, res, method, rawPath, segments, query);
  };

  const jsonApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string[],
    query: URLSearchParams,
    json: (status: number, body: unknown) => void,
  ): Promise<void> => {
    const [bucketName, collection, ...rest] = path;
    if (bucketName === undefined || bucketName === "") {
      if (method !== "POST") throw notImplemented(`${method} /b (bucket listing)`);
      allowOnly(query, ["project"], "buckets.insert");
      const body = await readJson(req);
      allowFields(body, ["name", "location", "storageClass", "versioning"], "buckets.insert");
      const versioning = body.versioning as { enabled?: boolean } | undefined;
      const bucket = model.createBucket(String(body.name ?? ""), query.get("project") ?? "_", {
        ...(typeof body.location === "string" ? { location: body.location } : {}),
        ...(typeof body.storageClass === "string" ? { storageClass: body.storageClass } : {}),
        ...(versioning?.enabled !== undefined ? { versioning: versioning.enabled } : {}),
      });
      return json(200, bucketResource(bucket, base));
    }
    if (collection === undefined) {
      if (method !== "GET") throw notImplemented(`${method} on a bucket`);
      allowOnly(query, [], "buckets.get");
      return json(200, bucketResource(model.bucket(bucketName), base));
    }
    if (collection === "notificationConfigs")
      return notifications(req, method, bucketName, rest, query, json);
    if (collection !== "o") throw notImplemented(`the bucket collection ${collection}`);
    if (rest.length === 0) {
      if (method !== "GET") throw notImplemented(`${method} /b/${bucketName}/o (use the upload endpoint)`);
      allowOnly(query, ["prefix", "delimiter", "pageToken", "maxResults"], "objects.list");
      return json(200, listObjects(bucketName, query));
    }
    const name = rest.join("/");
    const conditions = preconditions(query);
    if (method === "DELETE") {
      allowOnly(query, PRECONDITIONS, "objects.delete");
      model.delete(bucketName, name, conditions);
      return void res.writeHead(204).end();
    }
    if (method !== "GET") throw notImplemented(`${method} on an object`);
    allowOnly(query, ["alt", "generation", ...PRECONDITIONS], "objects.get");
    const alt = query.get("alt") ?? "json";
    if (alt !== "json" && alt !== "media") throw notImplemented(`alt=${alt}`);
    const object = model.get(bucketName, name, conditions, query.get("generation") ?? undefined);
    if (alt === "json") return json(200, objectResource(object, base));
    return sendMedia(req, res, object);
  };

  const notifications = async (
    req: IncomingMessage,
    method: string,
    bucketName: string,
    rest: string[],
    query: URLSearchParams,
    json: (status: number, body: unknown) => void,
  ): Promise<void> => {
    const bucket = model.bucket(bucketName);
    allowOnly(query, [], "notifications");
    if (rest.length === 0 && method === "GET") {
      const items = [...bucket.notifications.values()].map((c) => notificationResource(bucket, c, base));
      return json(200, { kind: "storage#notifications", ...(items.length ? { items } : {}) });
    }
    if (rest.length === 0 && method === "POST") {
      const body = await readJson(req);
      allowFields(body, [...NOTIFICATION_FIELDS], "notifications.insert");
      const topic = String(body.topic ?? "");
      if (!/^\/\/pubsub\.googleapis\.com\/projects\/[^/]+\/topics\/[^/]+$/.test(topic))
        throw invalid(
          `Invalid topic name: '${topic}' (expected //pubsub.googleapis.com/projects/P/topics/T)`,
        );
      const format = body.payload_format ?? "JSON_API_V1";
      if (format !== "JSON_API_V1" && format !== "NONE")
        throw invalid(`Invalid payload_format: ${String(format)}`);
      const eventTypes = body.event_types as string[] | undefined;
      for (const type of eventTypes ?? [])
        if (!EVENT_TYPES.has(type)) throw invalid(`Invalid event type: ${type}`);
      if (!notifier.connected)
        throw invalid("the stand-in has no Pub/Sub to publish to (start it with --pubsub-host)");
      const topicName = topic.replace(/^\/\/pubsub\.googleapis\.com\//, "");
      if (!(await notifier.topicExists(topicName))) throw invalid(`Topic ${topicName} does not exist.`);
      const id = String(bucket.nextNotificationId++);
      const config = {
        id,
        topic,
        payload_format: format,
        ...(eventTypes?.length ? { event_types: eventTypes } : {}),
        ...(typeof body.object_name_prefix === "string"
          ? { object_name_prefix: body.object_name_prefix }
          : {}),
        ...(body.custom_attributes
          ? { custom_attributes: body.custom_attributes as Record<string, string> }
          : {}),
        etag: newEtag(),
      } as const;
      bucket.notifications.set(id, config);
      return json(200, notificationResource(bucket, config, base));
    }
    const config = bucket.notifications.get(rest[0] ?? "");
    if (!config || rest.length !== 1) throw new GcsError(404, "notFound", "Not Found");
    if (method === "GET") return json(200, notificationResource(bucket, config, base));
    if (method === "DELETE") {
      bucket.notifications.delete(config.id);
      return json(204, "");
    }
    throw notImplemented(`${method} on a notification configuration`);
  };

  const listObjects = (bucketName: string, query: URLSearchParams) => {
    const bucket = model.bucket(bucketName);
    const prefix = query.get("prefix") ?? "";
    const delimiter = query.get("delimiter") ?? "";
    const maxResults = Math.min(Number(query.get("maxResults") ?? 1000), 1000);
    if (!Number.isInteger(maxResults) || maxResults < 1)
      throw invalid(`Invalid maxResults: ${query.get("maxResults")}`);
    const after = query.get("pageToken")
      ? Buffer.from(query.get("pageToken") as string, "base64url").toString("utf8")
      : undefined;
    const entries = new Map<string, StoredObject | undefined>();
    for (const object of bucket.objects.values()) {
      if (!object.name.startsWith(prefix)) continue;
      const cut = delimiter ? object.name.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) entries.set(object.name.slice(0, cut + delimiter.length), undefined);
      else entries.set(object.name, object);
    }
    const keys = [...entries.keys()]
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .filter((key) => after === undefined || Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0);
    const page = keys.slice(0, maxResults);
    const items = page.flatMap((key) => {
      const object = entries.get(key);
      return object ? [objectResource(object, base)] : [];
    });
    const prefixes = page.filter((key) => entries.get(key) === undefined);
    const last = page.at(-1);
    return {
      kind: "storage#objects",
      ...(keys.length > page.length && last !== undefined
        ? { nextPageToken: Buffer.from(last).toString("base64url") }
        : {}),
      ...(prefixes.length ? { prefixes } : {}),
      ...(items.length ? { items } : {}),
    };
  };

  const upload = async (
    req: IncomingMessage,
    res: ServerResponse,
    bucketName: string,
    query: URLSearchParams,
  ): Promise<void> => {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(body));
    };
    const uploadType = query.get("uploadType");
    const uploadId = query.get("upload_id");
    if (uploadId !== null) {
      allowOnly(query, ["uploadType", "name", "upload_id", ...PRECONDITIONS], "a resumable upload's PUT");
      if (req.method === "DELETE") {
        sessions.delete(uploadId);
        return void res.writeHead(499).end();
      }
      if (req.method !== "PUT") throw notImplemented(`${req.method} on a resumable upload session`);
      const session = sessions.get(uploadId);
      if (!session) throw new GcsError(404, "notFound", `No such upload session: ${uploadId}`);
      return resumablePut(req, res, session, json);
    }
    if (req.method !== "POST") throw notImplemented(`${req.method} on the upload endpoint`);
    model.bucket(bucketName);
    const conditions = preconditions(query);
    if (uploadType === "media") {
      allowOnly(query, ["uploadType", "name", ...PRECONDITIONS], "uploadType=media");
      const name = query.get("name");
      if (!name) throw invalid("uploadType=media needs the name query parameter");
      const data = await readBody(req);
      const contentType = req.headers["content-type"];
      return json(
        200,
        objectResource(
          model.put(bucketName, name, data, contentType ? { contentType } : {}, conditions),
          base,
        ),
      );
    }
    if (uploadType === "multipart") {
      allowOnly(query, ["uploadType", "name", ...PRECONDITIONS], "uploadType=multipart");
      const parts = parseMultipartRelated(req.headers["content-type"] ?? "", await readBody(req));
      if (parts.length !== 2)
        throw invalid(`a multipart upload has 2 parts (metadata, media), got ${parts.length}`);
      const [meta, media] = parts as [(typeof parts)[0], (typeof parts)[0]];
      const body = JSON.parse(meta.body.toString("utf8") || "{}") as Record<string, unknown>;
      const fields = objectFields(body);
      const name = query.get("name") ?? (typeof body.name === "string" ? body.name : "");
      if (!name) throw invalid("a multipart upload needs a name (query or metadata)");
      if (!fields.contentType && media.headers["content-type"])
        fields.contentType = media.headers["content-type"];
      return json(200, objectResource(model.put(bucketName, name, media.body, fields, conditions), base));
    }
    if (uploadType === "resumable") {
      allowOnly(query, ["uploadType", "name", ...PRECONDITIONS], "uploadType=resumable");
      const body = await readJson(req);
      const fields = objectFields(body);
      const name = query.get("name") ?? (typeof body.name === "string" ? body.name : "");
      if (!name) throw invalid("a resumable upload needs a name (query or metadata)");
      const declaredType = req.headers["x-upload-content-type"];
      if (!fields.contentType && typeof declaredType === "string") fields.contentType = declaredType;
      // Preconditions are checked when the session starts and again when the object is finalized.
      if (bucketName && model.bucket(bucketName).objects.has(name) && conditions.ifGenerationMatch === "0") {
        throw new GcsError(
          412,
          "conditionNotMet",
          "At least one of the pre-conditions you specified did not hold.",
        );
      }
      const id = randomBytes(16).toString("hex");
      sessions.set(id, { bucket: bucketName, name, fields, conditions, chunks: [], received: 0 });
      const location = `${base}/upload/storage/v1/b/${bucketName}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      return void res.writeHead(200, { location, "content-length": "0" }).end();
    }
    throw notImplemented(`uploadType=${uploadType}`);
  };

  const resumablePut = async (
    req: IncomingMessage,
    res: ServerResponse,
    session: ResumableSession,
    json: (status: number, body: unknown) => void,
  ) => {
    const data = await readBody(req);
    if (session.finished) return json(200, objectResource(session.finished, base));
    const range = String(req.headers["content-range"] ?? `bytes */${data.length}`);
    const match = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(range);
    if (!match) throw invalid(`Invalid Content-Range: ${range}`);
    const [, first, last, totalText] = match;
    if (first !== undefined) {
      const start = Number(first);
      if (start > session.received)
        throw invalid(`Content-Range starts at ${start}, but only ${session.received} bytes were received`);
      const fresh = data.subarray(session.received - start);
      if (last !== "*" && Number(last) - start + 1 !== data.length)
        throw invalid(`Content-Range ${range} does not match the ${data.length} bytes sent`);
      session.chunks.push(fresh);
      session.received += fresh.length;
    } else if (data.length > 0) {
      throw invalid("a status query (bytes */N) carries no bytes");
    }
    // Final when the total is known and reached, or when the bytes ran "to the end" with no total.
    const total = totalText === "*" ? (last === "*" ? session.received : undefined) : Number(totalText);
    if (total === undefined || session.received < total) {
      const headers: Record<string, string> = { "content-length": "0" };
      if (session.received > 0) headers.range = `bytes=0-${session.received - 1}`;
      return void res.writeHead(308, headers).end();
    }
    if (session.received > total)
      throw invalid(`received ${session.received} bytes, more than the total ${total}`);
    const hashes = parseGoogHash(req.headers["x-goog-hash"]);
    const object = model.put(
      session.bucket,
      session.name,
      Buffer.concat(session.chunks),
      { ...session.fields, ...hashes },
      session.conditions,
    );
    session.finished = object;
    session.chunks = [];
    return json(200, objectResource(object, base));
  };

  const sendMedia = (req: IncomingMessage, res: ServerResponse, object: StoredObject) => {
    const size = object.data.length;
    const headers: Record<string, string> = {
      "content-type": object.contentType,
      "x-goog-generation": object.generation,
      "x-goog-metageneration": object.metageneration,
      "x-goog-hash": `crc32c=${object.crc32c},md5=${object.md5Hash}`,
      "x-goog-stored-content-encoding": "identity",
      "x-goog-stored-content-length": String(size),
      "accept-ranges": "bytes",
    };
    const range = req.headers.range;
    if (!range) {
      res.writeHead(200, { ...headers, "content-length": String(size) }).end(object.data);
      return;
    }
    const match = /^bytes=(\d*)-(\d*)$/.exec(range);
    if (!match || (match[1] === "" && match[2] === "")) throw notImplemented(`the Range header ${range}`);
    let start: number;
    let end: number;
    if (match[1] === "") {
      start = Math.max(0, size - Number(match[2]));
      end = size - 1;
    } else {
      start = Number(match[1]);
      end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    }
    if (start >= size || start > end) {
      res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      return;
    }
    res
      .writeHead(206, {
        ...headers,
        "content-length": String(end - start + 1),
        "content-range": `bytes ${start}-${end}/${size}`,
      })
      .end(object.data.subarray(start, end + 1));
  };

  const signedGet = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    rawPath: string,
    segments: string[],
    query: URLSearchParams,
  ) => {
    const verified = verifyV4SignedUrl(method, rawPath, query, req.headers.host ?? "", signers, now());
    if (!verified) throw notImplemented(`${method} ${rawPath} (the XML API, other than V4 signed GETs)`);
    if (method !== "GET") throw new XmlError(501, "NotImplemented", `signed ${method} is not implemented`);
    const [bucketName, ...name] = segments;
    const bucket = model.buckets.get(bucketName ?? "");
    const object = bucket?.objects.get(name.join("/"));
    if (!bucket) throw new XmlError(404, "NoSuchBucket", "The specified bucket does not exist.");
    if (!object) throw new XmlError(404, "NoSuchKey", "The specified key does not exist.");
    return sendMedia(req, res, object);
  };

  const admin = createServer((req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    void (async () => {
      if (req.url === "/health") return send(200, { ok: true });
      if (req.url === "/notifications" && req.method === "GET")
        return send(200, { published: notifier.published, failures: notifier.failures });
      const body = await readAdminJson(req);
      if (req.url === "/signers" && req.method === "POST") {
        if (typeof body.account !== "string" || typeof body.publicKeyPem !== "string")
          return send(400, { error: "account and publicKeyPem (strings) are required" });
        signers.set(body.account, createPublicKey(body.publicKeyPem));
        return send(200, { ok: true });
      }
      if (req.url === "/pubsub" && req.method === "POST") {
        if (typeof body.host !== "string") return send(400, { error: "host (string) is required" });
        notifier.connect(body.host);
        return send(200, { ok: true });
      }
      if (req.url === "/clock" && req.method === "POST") {
        if (typeof body.offsetMs !== "number") return send(400, { error: "offsetMs (number) is required" });
        clockOffsetMs = body.offsetMs;
        return send(200, { now: now().toISOString() });
      }
      return send(404, { error: `no admin route ${req.method} ${req.url}` });
    })().catch((error: unknown) => send(400, { error: String(error) }));
  });

  server.listen(options.port, "127.0.0.1");
  admin.listen(options.adminPort, "127.0.0.1");
  await Promise.all([once(server, "listening"), once(admin, "listening")]);
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    adminHost: `127.0.0.1:${(admin.address() as AddressInfo).port}`,
    model,
    notifier,
    async stop() {
      server.closeAllConnections();
      admin.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => admin.close(() => resolve())),
      ]);
      await notifier.close();
    },
  };
}

function allowOnly(query: URLSearchParams, allowed: string[], where: string): void {
  for (const name of query.keys()) {
    if (!allowed.includes(name)) throw notImplemented(`query parameter ${name} on ${where}`);
  }
}

function allowFields(body: Record<string, unknown>, allowed: string[], where: string): void {
  for (const name of Object.keys(body)) {
    if (!allowed.includes(name)) throw notImplemented(`field ${name} on ${where}`);
  }
}

function preconditions(query: URLSearchParams): Preconditions {
  const conditions: Preconditions = {};
  for (const name of PRECONDITIONS) {
    const value = query.get(name);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) throw invalid(`Invalid value for ${name}: ${value}`);
    conditions[name as keyof Preconditions] = value;
  }
  return conditions;
}

function objectFields(body: Record<string, unknown>): ObjectFields {
  for (const name of Object.keys(body)) {
    if (!WRITABLE_OBJECT_FIELDS.has(name)) throw notImplemented(`object field ${name}`);
  }
  const metadata = body.metadata as Record<string, unknown> | undefined;
  if (metadata !== undefined && (typeof metadata !== "object" || metadata === null))
    throw invalid("metadata must be an object of strings");
  return {
    ...(typeof body.contentType === "string" ? { contentType: body.contentType } : {}),
    ...(metadata
      ? { metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)])) }
      : {}),
    ...(typeof body.md5Hash === "string" ? { md5Hash: body.md5Hash } : {}),
    ...(typeof body.crc32c === "string" ? { crc32c: body.crc32c } : {}),
  };
}

function parseGoogHash(header: string | string[] | undefined): { md5Hash?: string; crc32c?: string } {
  const out: { md5Hash?: string; crc32c?: string } = {};
  for (const item of String(header ?? "").split(",")) {
    const eq = item.indexOf("=");
    if (eq < 0) continue;
    const [name, value] = [item.slice(0, eq).trim(), item.slice(eq + 1).trim()];
    if (name === "md5") out.md5Hash = value;
    if (name === "crc32c") out.crc32c = value;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {}
  throw invalid("the request body is not a JSON object");
}
