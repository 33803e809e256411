import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SimError } from "./directory-state.js";
import type { NotificationFault, RouteFault } from "./faults.js";
import { applyFields, type FieldTree, InvalidFieldSelection, parseFields, validateFields } from "./fields.js";
import { checkQuery, type Route, type RouteContext, type SimRequest, type SimResponse } from "./http-kit.js";
import { adminRoutes } from "./routes/admin.js";
import { calendarRoutes } from "./routes/calendar.js";
import { directoryRoutes } from "./routes/directory.js";
import { gmailRoutes } from "./routes/gmail.js";
import { iamRoutes } from "./routes/iam.js";
import { oauthRoutes } from "./routes/oauth.js";
import { peopleRoutes } from "./routes/people.js";
import { loadSeedFile, type ParsedSeed, seedSchema, type TenantSeed } from "./seed.js";
import { GoogleTenant } from "./tenant.js";
import { apiError, GoogleWireError } from "./wire.js";

export interface GoogleSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only unless told otherwise. */
  host?: string;
  /** A seed object or the path of a seed JSON file. */
  seed?: TenantSeed | string;
  /**
   * Accept http:// push addresses on watch requests. Google accepts only https; local demos and
   * tests whose receivers listen on plain loopback HTTP switch this on explicitly.
   */
  allowHttpPushAddresses?: boolean;
}

/** One request as the simulator saw it: for asserting call counts and quotaUser. */
export interface RecordedRequest {
  operation: string;
  method: string;
  path: string;
  status: number;
  quotaUser?: string;
}

export interface GoogleSimulator {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  /** What the adapters take as settings google.apiRootUrl / oauthTokenUrl / iamCredentialsRootUrl. */
  readonly endpoints: { apiRootUrl: string; oauthTokenUrl: string; iamCredentialsRootUrl: string };
  readonly tenant: GoogleTenant;
  readonly requests: RecordedRequest[];
  /** Requests of one operation (e.g. "directory.users.list") since the start or the last reset. */
  count(operation: string): number;
  resetRequests(): void;
  addFault(fault: RouteFault): void;
  addNotificationFault(fault: NotificationFault): void;
  clearFaults(): void;
  /** Resolves when every push notification in flight has been delivered (or given up). */
  notificationsIdle(): Promise<void>;
  close(): Promise<void>;
}

const ROUTES: Route[] = [
  ...oauthRoutes,
  ...directoryRoutes,
  ...calendarRoutes,
  ...peopleRoutes,
  ...gmailRoutes,
  ...iamRoutes,
  ...adminRoutes,
];
const MAX_BODY_BYTES = 40 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(apiError(413, "uploadTooLarge", "Request payload too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function match(
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.path.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(m.groups ?? {})) params[key] = decodeURIComponent(value);
    return { route, params };
  }
  return undefined;
}

/** A response ready for the wire: serialised before the injected latency ends, as a real server's is. */
interface Encoded {
  status: number;
  headers: Record<string, string | number>;
  payload?: Buffer | string;
}

function encode(result: SimResponse): Encoded {
  const extra = result.headers ?? {};
  if (result.raw) {
    return {
      status: result.status,
      headers: { "content-type": result.contentType ?? "application/octet-stream", ...extra },
      payload: result.raw,
    };
  }
  if (result.body === undefined) return { status: result.status, headers: extra };
  const text = JSON.stringify(result.body);
  return {
    status: result.status,
    headers: {
      "content-type": "application/json; charset=UTF-8",
      "content-length": Buffer.byteLength(text),
      ...extra,
    },
    payload: text,
  };
}

/** The `fields` selection of a request, checked against the route's response schema. */
function selectedFields(route: Route, url: URL): FieldTree | undefined {
  const fields = url.searchParams.get("fields");
  if (!fields || !route.response) return undefined;
  try {
    const tree = parseFields(fields);
    validateFields(tree, route.response);
    return tree;
  } catch (error) {
    const message =
      error instanceof InvalidFieldSelection ? error.message : `Invalid field selection ${fields}`;
    throw apiError(400, "invalidParameter", message, { parameter: "fields" });
  }
}

function write(response: ServerResponse, encoded: Encoded): void {
  response.writeHead(encoded.status, encoded.headers);
  response.end(encoded.payload);
}

/** Starts the Workspace simulator on loopback. */
export async function startGoogleSimulator(options: GoogleSimulatorOptions = {}): Promise<GoogleSimulator> {
  let baseUrl = "";
  const tenant = new GoogleTenant(() => baseUrl);
  const seed: ParsedSeed =
    typeof options.seed === "string"
      ? await loadSeedFile(options.seed)
      : seedSchema.parse(options.seed ?? { customer: { domain: "example.com" } });
  tenant.load(seed);
  tenant.channels.allowHttpAddresses = options.allowHttpPushAddresses === true;
  const requests: RecordedRequest[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", baseUrl);
    const method = request.method ?? "GET";
    const found = match(method, url.pathname);
    const operation = found?.route.operation ?? "unknown";
    let result: SimResponse;
    // Injected latency is the time the answer takes in all: the simulator's own work happens
    // inside it rather than on top of it, as a real server's does inside a real round trip.
    const arrivedAt = performance.now();
    let latencyMs = 0;
    try {
      const body = await readBody(request);
      if (!found) throw apiError(404, "notFound", `Not Found: ${method} ${url.pathname}`);
      if (operation !== "sim.admin") {
        const fault = tenant.faults.forRequest(operation);
        latencyMs = fault.latencyMs;
        if (fault.error) throw fault.error;
      }
      if (found.route.params) checkQuery(url, found.route.params);
      const fields = selectedFields(found.route, url);
      const simRequest: SimRequest = { method, url, params: found.params, headers: request.headers, body };
      const context: RouteContext = { tenant, baseUrl };
      result = await found.route.handle(simRequest, context);
      if (fields && result.body !== undefined && !result.raw && result.status < 300) {
        result = { ...result, body: applyFields(result.body, fields) };
      }
    } catch (error) {
      if (error instanceof GoogleWireError)
        result = { status: error.httpStatus, body: error.body, headers: error.headers };
      else if (error instanceof SimError)
        result = { status: 400, body: apiError(400, "invalid", error.message).body };
      else result = { status: 500, body: apiError(500, "backendError", (error as Error).message).body };
    }
    const encoded = encode(result);
    const wait = arrivedAt + latencyMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (operation !== "sim.admin") {
      requests.push({
        operation,
        method,
        path: url.pathname,
        status: result.status,
        quotaUser: url.searchParams.get("quotaUser") ?? undefined,
      });
    }
    write(response, encoded);
  }

  const server: Server = createServer((request, response) => {
    const url = request.url ?? "";
    const photo = /^\/_sim\/photos\/([^/?]+)/.exec(url);
    if (photo && request.method === "GET") {
      const user = tenant.directory.find(decodeURIComponent(photo[1] ?? ""));
      if (!user?.photo)
        write(response, encode({ status: 404, body: apiError(404, "notFound", "Not Found").body }));
      else write(response, encode({ status: 200, raw: user.photo.data, contentType: user.photo.mimeType }));
      return;
    }
    void handle(request, response);
  });
  // Longer than any client keeps an idle socket, so a loaded machine never sees the server close a
  // socket the client is about to reuse for a POST (ECONNRESET); close() ends every connection anyway.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? "127.0.0.1"}:${address.port}`;

  return {
    url: baseUrl,
    endpoints: {
      apiRootUrl: `${baseUrl}/`,
      oauthTokenUrl: `${baseUrl}/token`,
      iamCredentialsRootUrl: `${baseUrl}/`,
    },
    tenant,
    requests,
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    resetRequests: () => {
      requests.length = 0;
    },
    addFault: (fault) => tenant.faults.addRouteFault(fault),
    addNotificationFault: (fault) => tenant.faults.addNotificationFault(fault),
    clearFaults: () => tenant.faults.clear(),
    notificationsIdle: () => tenant.channels.idle(),
    close: async () => {
      await tenant.channels.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
