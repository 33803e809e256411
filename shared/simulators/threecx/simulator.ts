/**
 * The 3CX v20 XAPI simulator: an HTTP server on loopback with the PBX's paths, status codes,
 * bodies and OData errors. Every request is checked against the official spec before it is
 * served; what the spec forbids is refused with a 400 naming the property and recorded, so a
 * test can assert that a client never sent such a request.
 *
 * In-process:  const sim = await startThreeCxSimulator({ seed });  ... sim.url, sim.state,
 *              sim.faults, sim.stats, sim.tokens; await sim.close();
 * Standalone:  npm run sim:3cx -- --port 5080 --seed shared/simulators/threecx/seeds/demo.json
 * Over HTTP:   GET /_sim/state, GET /_sim/stats, POST /_sim/faults (a FaultRule),
 *              DELETE /_sim/faults, POST /_sim/expire-tokens (README, "3CX XAPI simulator")
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiClient, TokenAuthority, type TokenOptions } from "./auth.js";
import { type FaultDecision, FaultInjector, type FaultRule } from "./faults.js";
import { HANDLERS } from "./handlers.js";
import {
  notImplemented,
  type ODataErrorBody,
  SimError,
  type SimErrorKind,
  specViolation,
} from "./odata/odata-error.js";
import { parseQuery } from "./odata/query.js";
import { decodeLiteral, XapiRouter } from "./router.js";
import { buildState, seedSchema, type ThreeCxSeed } from "./seed.js";
import { loadXapiSpec, type SpecOperation } from "./spec/spec-validator.js";
import type { PbxState } from "./state.js";

/** Simulated paths the XAPI gained in 20.0.9 (see the reference's version history). */
const PATHS_SINCE_20_0_9: ReadonlySet<string> = new Set([
  "/Contacts/Pbx.GetContactsByNumber(number={number})",
  "/Contacts/Pbx.CreateContactByNumber",
  "/Contacts/Pbx.DeleteContactsById",
]);

const XAPI_PREFIX = "/xapi/v1";
const TOKEN_PATH = "/connect/token";
/** Operations a System Administrator (not Owner) API client is refused with 403. */
export const DEFAULT_OWNER_ONLY_OPERATIONS = [
  "GetGoogleSettings",
  "UpdateGoogleSettings",
  "GetMailSettings",
  "UpdateMailSettings",
  "GetRemoteArchivingSettings",
  "UpdateRemoteArchivingSettings",
  "GetVoicemailSettings",
  "UpdateVoicemailSettings",
];

export interface ThreeCxSimulatorOptions {
  seed?: ThreeCxSeed;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  token?: Partial<TokenOptions>;
  /** Largest $top the PBX serves; larger is refused with 400 (default 1000). */
  maxTop?: number;
  ownerOnlyOperations?: readonly string[];
  /** Seed of the fault generator, so rate-based faults repeat run to run. */
  faultSeed?: number;
  /** How long a "timeout" fault holds a request before dropping it (default 60 s). */
  timeoutHoldMs?: number;
  now?: () => number;
}

/** A request the simulator refused because it breaks the spec (or asks for what is not simulated). */
export interface SpecRejection {
  operation: string;
  method: string;
  path: string;
  status: number;
  target: string | null;
  message: string;
}

export interface SimulatorStats {
  /** Requests by operationId ("Token" for /connect/token), faults included. */
  requests: Record<string, number>;
  specRejections: SpecRejection[];
  /** PBX-rule refusals (duplicates, immutable fields, ...) by WARNINGS code. */
  ruleRejections: Record<string, number>;
  unauthorized: number;
  forbidden: number;
  /** Most XAPI requests the simulator was handling at the same moment. */
  maxConcurrent: number;
}

export interface ThreeCxSimulator {
  /** Base URL, e.g. http://127.0.0.1:43121 (XAPI under /xapi/v1, token at /connect/token). */
  url: string;
  state: PbxState;
  faults: FaultInjector;
  tokens: TokenAuthority;
  stats: SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** A response ready to go on the wire: the body already serialised (the simulator's work done). */
interface Prepared {
  status: number;
  headers: Record<string, string | number>;
  text?: string;
}

function prepare(status: number, body?: unknown, headers: Record<string, string> = {}): Prepared {
  if (body === undefined) return { status, headers };
  const text = JSON.stringify(body);
  return {
    status,
    text,
    headers: {
      "content-type": "application/json; odata.metadata=minimal; odata.streaming=true",
      "odata-version": "4.0",
      "content-length": Buffer.byteLength(text),
      ...headers,
    },
  };
}

function write(res: ServerResponse, prepared: Prepared): void {
  res.writeHead(prepared.status, prepared.headers).end(prepared.text);
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  write(res, prepare(status, body, headers));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Injected latency is the whole round trip: the simulator's own work happens inside it, as a real PBX's does. */
const sleepUntil = (at: number) => {
  const ms = at - performance.now();
  return ms > 0 ? sleep(ms) : Promise.resolve();
};

export async function startThreeCxSimulator(
  options: ThreeCxSimulatorOptions = {},
): Promise<ThreeCxSimulator> {
  const spec = loadXapiSpec();
  const router = new XapiRouter(spec);
  const seed = seedSchema.parse(options.seed ?? {});
  const state = buildState(seed, spec);
  const faults = new FaultInjector(options.faultSeed ?? 1);
  const tokens = new TokenAuthority(
    seed.apiClients as ApiClient[],
    { lifetimeSeconds: 3600, expiresInUnit: "seconds", format: "jwt", ...options.token },
    options.now,
  );
  const ownerOnly = new Set(options.ownerOnlyOperations ?? DEFAULT_OWNER_ONLY_OPERATIONS);
  const maxTop = options.maxTop ?? 1000;
  const timeoutHoldMs = options.timeoutHoldMs ?? 60_000;
  const freshStats = (): SimulatorStats => ({
    requests: {},
    specRejections: [],
    ruleRejections: {},
    unauthorized: 0,
    forbidden: 0,
    maxConcurrent: 0,
  });
  let concurrent = 0;
  const handle: ThreeCxSimulator = {
    url: "",
    state,
    faults,
    tokens,
    stats: freshStats(),
    resetStats() {
      handle.stats = freshStats();
    },
    close: async () => {},
  };

  function count(operation: string): void {
    handle.stats.requests[operation] = (handle.stats.requests[operation] ?? 0) + 1;
  }

  function refusal(req: IncomingMessage, operation: string, error: SimError): Prepared {
    const body = error.toBody();
    recordRefusal(operation, req, error.status, error.kind, body);
    return prepare(error.status, body);
  }

  function recordRefusal(
    operation: string,
    req: IncomingMessage,
    status: number,
    kind: SimErrorKind,
    body: ODataErrorBody,
  ): void {
    const detail = body.error.details[0];
    if (kind === "spec") {
      handle.stats.specRejections.push({
        operation,
        method: req.method ?? "",
        path: req.url ?? "",
        status,
        target: detail?.target ?? null,
        message: detail?.message ?? body.error.message,
      });
    } else if (kind === "rule" && detail) {
      handle.stats.ruleRejections[detail.code] = (handle.stats.ruleRejections[detail.code] ?? 0) + 1;
    }
  }

  /**
   * Pre-handler faults, answered once the injected latency has passed; returns false when the
   * request was answered (or dropped). Without a fault the latency is left to the caller, which
   * does its work first and answers at the same deadline.
   */
  async function applyFaults(
    decision: FaultDecision,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    if (decision.fault === undefined || decision.fault === "lostResponse" || decision.fault === "numberTaken")
      return true;
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    switch (decision.fault) {
      case "status500":
      case "status503": {
        const status = decision.fault === "status500" ? 500 : 503;
        send(res, status, new SimError(status, "fault", "injected server error").toBody());
        return false;
      }
      case "rateLimit":
        send(res, 429, new SimError(429, "fault", "too many requests").toBody(), {
          "retry-after": String(decision.retryAfterSeconds ?? 1),
        });
        return false;
      case "timeout": {
        // Hold the request unanswered until the client gives up (or the hold ends).
        const timer = setTimeout(() => req.socket.destroy(), timeoutHoldMs);
        req.socket.once("close", () => clearTimeout(timer));
        return false;
      }
      default:
        return true;
    }
  }

  async function serveToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    count("Token");
    const decision = faults.decide("Token");
    const text = await readBody(req);
    if (!(await applyFaults(decision, req, res))) return;
    const grant = tokens.grant(new URLSearchParams(text), req.headers.authorization);
    const answer = grant.ok
      ? prepare(200, grant.body, { "cache-control": "no-store" })
      : prepare(grant.status, grant.body, grant.headers);
    await sleepUntil(arrivedAt + decision.latencyMs);
    if (decision.fault === "lostResponse") req.socket.destroy();
    else write(res, answer);
  }

  function resolveOperation(
    req: IncomingMessage,
    path: string,
  ): { op: SpecOperation; params: Record<string, string | number> } {
    const match = router.match(path);
    if (!match) {
      throw new SimError(404, "spec", `the XAPI spec has no resource ${path}`, {
        code: "WARNINGS.XAPI.NOT_FOUND",
        target: path,
      });
    }
    if (PATHS_SINCE_20_0_9.has(match.path) && state.isOlderThan("20.0.9")) {
      // A PBX before 20.0.9 has no personal-contact functions: the path is unknown to it.
      throw new SimError(404, "spec", `the XAPI of PBX ${state.version} has no resource ${path}`, {
        code: "WARNINGS.XAPI.NOT_FOUND",
        target: path,
      });
    }
    const method = req.method ?? "GET";
    const op = spec.operation(match.path, method);
    if (!op) {
      const operationId = spec.catalogOperationId(match.path, method);
      if (operationId === undefined) {
        throw new SimError(405, "spec", `the XAPI spec has no ${method} ${match.path}`, {
          code: "WARNINGS.XAPI.NOT_SUPPORTED",
          target: match.path,
        });
      }
      throw notImplemented(operationId, `${operationId} (${method} ${match.path})`);
    }
    const params: Record<string, string | number> = {};
    for (const param of op.parameters.filter((p) => p.in === "path")) {
      params[param.name] = decodeLiteral(param.name, match.raw[param.name] ?? "", param.schema.type);
    }
    const violation = spec.checkParameters(op, "path", params);
    if (violation) throw specViolation(violation.target, violation.message, violation.code);
    return { op, params };
  }

  async function serveXapi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const arrivedAt = performance.now();
    concurrent++;
    handle.stats.maxConcurrent = Math.max(handle.stats.maxConcurrent, concurrent);
    res.once("close", () => {
      concurrent--;
    });
    let operation = "Unknown";
    let decision: FaultDecision = { latencyMs: 0 };
    let answer: Prepared | "lost" | "handled";
    try {
      answer = await answerXapi();
    } catch (error) {
      answer =
        error instanceof SimError
          ? refusal(req, operation, error)
          : prepare(
              500,
              new SimError(500, "fault", `simulator failure: ${(error as Error).message}`).toBody(),
            );
    }
    if (answer === "handled") return;
    await sleepUntil(arrivedAt + decision.latencyMs);
    if (answer === "lost") req.socket.destroy();
    else write(res, answer);

    /** The answer to send once the latency has passed; "handled" when a fault already answered. */
    async function answerXapi(): Promise<Prepared | "lost" | "handled"> {
      const path = decodeURIComponent(url.pathname.slice(XAPI_PREFIX.length));
      const { op, params } = resolveOperation(req, path);
      operation = op.operationId;
      count(operation);
      decision = faults.decide(operation);
      const text = await readBody(req);
      if (!(await applyFaults(decision, req, res))) return "handled";

      const client = tokens.authenticate(req.headers.authorization);
      if ("refused" in client) {
        handle.stats.unauthorized++;
        return { status: 401, headers: { "www-authenticate": `Bearer error="invalid_token"` } };
      }
      if (client.role !== "system_owner" && ownerOnly.has(operation)) {
        handle.stats.forbidden++;
        return prepare(
          403,
          new SimError(403, "auth", "this API client needs the System Owner role").toBody(),
        );
      }
      const handler = HANDLERS[operation];
      if (!handler) throw notImplemented(operation, `${operation} (${op.method.toUpperCase()} ${op.path})`);
      const query = parseQuery(spec, op, url.searchParams, maxTop);
      let body: unknown;
      if (text !== "") {
        if (!/^application\/json/.test(req.headers["content-type"] ?? "")) {
          throw specViolation(
            "",
            `expected content-type application/json, got ${req.headers["content-type"]}`,
          );
        }
        try {
          body = JSON.parse(text);
        } catch (error) {
          throw specViolation("", `the body is not JSON: ${(error as Error).message}`);
        }
      }
      const violation = spec.checkRequestBody(op, body);
      if (violation) throw specViolation(violation.target, violation.message, violation.code);

      if (decision.fault === "numberTaken") takeNumberElsewhere(body);
      const result = handler({ op, spec, state, params, query, body });
      return decision.fault === "lostResponse" ? "lost" : prepare(result.status, result.body);
    }
  }

  /** The numberTaken fault: someone else creates a user on the requested number first. */
  function takeNumberElsewhere(body: unknown): void {
    const number = (body as { Number?: unknown } | undefined)?.Number;
    if (typeof number !== "string" || !/^\d+$/.test(number) || state.isNumberTaken(number)) return;
    state.createUser({ Number: number, FirstName: "Taken", LastName: "Elsewhere" });
  }

  async function serveAdmin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /_sim/stats") return send(res, 200, handle.stats);
    if (route === "GET /_sim/state") {
      return send(res, 200, {
        users: [...state.users.values()].map((user) => ({
          ...user,
          Groups: state.memberships.get(user.Id as number) ?? [],
        })),
        contacts: [...state.contacts.entries()].map(([, record]) => ({
          ownerNumber: record.owner,
          ...record.entity,
        })),
        dns: [...state.dns.values()],
        settings: state.settings,
      });
    }
    if (route === "POST /_sim/faults") {
      const rule = JSON.parse(await readBody(req)) as FaultRule;
      return send(res, 201, { id: faults.add(rule) });
    }
    if (route === "DELETE /_sim/faults") {
      faults.clear();
      return send(res, 204);
    }
    if (route === "POST /_sim/expire-tokens") {
      tokens.expireAll();
      return send(res, 204);
    }
    send(res, 404, new SimError(404, "notFound", `no admin route ${route}`).toBody());
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const served =
      url.pathname === TOKEN_PATH && req.method === "POST"
        ? serveToken(req, res)
        : url.pathname.startsWith(`${XAPI_PREFIX}/`)
          ? serveXapi(req, res, url)
          : url.pathname.startsWith("/_sim/")
            ? serveAdmin(req, res, url)
            : Promise.resolve(send(res, 404, new SimError(404, "notFound", "not found").toBody()));
    served.catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, new SimError(500, "fault", String(error)).toBody());
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  handle.url = `http://${address.address}:${address.port}`;
  handle.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return handle;
}
