import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { admin_directory_v1 } from "@googleapis/admin";
import { calendar_v3 } from "@googleapis/calendar";
import { gmail_v1 } from "@googleapis/gmail";
import { GoogleCalendar } from "../../../shared/adapters/google/calendar.js";
import { KeylessDelegation } from "../../../shared/adapters/google/delegation.js";
import { GoogleDirectory } from "../../../shared/adapters/google/directory.js";
import { clientOptions } from "../../../shared/adapters/google/endpoints.js";
import { GoogleMailer } from "../../../shared/adapters/google/gmail.js";
import { GooglePeople } from "../../../shared/adapters/google/people.js";
import type { RetryPolicy } from "../../../shared/adapters/google/retry-policy.js";
import { ALL_DELEGATED_SCOPES } from "../../../shared/adapters/google/scopes.js";
import { fixedSourceCredential } from "../../../shared/adapters/google/source-credential.js";
import type { TenantSeed } from "../../../shared/simulators/google/seed.js";
import { type GoogleSimulator, startGoogleSimulator } from "../../../shared/simulators/google/server.js";

export const SERVICE_ACCOUNT = "gw3cx-runtime@gw3cx-test.iam.gserviceaccount.com";
export const CLIENT_ID = "104729000000000000001";
export const SOURCE_TOKEN = "sim-source-token-gw3cx-runtime";
export const ADMIN = "ada@example.com";
export const DOMAIN = "example.com";
/** Backoff small enough that every fault test stays in milliseconds. */
export const FAST_RETRY: RetryPolicy = { retries: 3, minDelayMs: 2, maxDelayMs: 10, jitter: false };

const HOUR = 3_600_000;

/** Wall-clock-free ISO string with offset, a whole number of hours from now (rounded to the hour). */
export function hoursFromNow(hours: number, base = Date.now()): string {
  const hour = Math.floor(base / HOUR) * HOUR;
  return new Date(hour + hours * HOUR).toISOString().replace(".000Z", "Z");
}

export function baseSeed(overrides: Partial<TenantSeed> = {}): TenantSeed {
  return {
    customer: { id: "C0test001", domain: DOMAIN },
    serviceAccounts: [{ email: SERVICE_ACCOUNT, uniqueId: CLIENT_ID, sourceToken: SOURCE_TOKEN }],
    domainWideDelegation: [{ clientId: CLIENT_ID, scopes: [...ALL_DELEGATED_SCOPES] }],
    orgUnits: ["/", "/Sales", "/Sales/EMEA", "/Engineering"],
    users: [
      {
        primaryEmail: ADMIN,
        givenName: "Ada",
        familyName: "Lovelace",
        isAdmin: true,
        timeZone: "Europe/Berlin",
      },
      {
        primaryEmail: `grace@${DOMAIN}`,
        givenName: "Grace",
        familyName: "Hopper",
        orgUnitPath: "/Sales/EMEA",
        phones: [
          { value: "+49 30 7654321", type: "work" },
          { value: "+49 170 1111111", type: "mobile" },
        ],
        organizations: [{ title: "Admiral", department: "Sales", primary: true }],
        timeZone: "Europe/Berlin",
        labels: ["3CX"],
      },
      {
        primaryEmail: `alan@${DOMAIN}`,
        givenName: "Alan",
        familyName: "Turing",
        orgUnitPath: "/Engineering",
        suspended: true,
      },
      {
        primaryEmail: `linus@${DOMAIN}`,
        givenName: "Linus",
        familyName: "Torvalds",
        orgUnitPath: "/Engineering",
        archived: true,
      },
      { primaryEmail: `gone@${DOMAIN}`, givenName: "Gone", familyName: "Person", deleted: true },
    ],
    groups: [
      { email: `emea@${DOMAIN}`, members: [{ email: `grace@${DOMAIN}` }] },
      {
        email: `sales@${DOMAIN}`,
        members: [
          { email: `emea@${DOMAIN}`, type: "GROUP" },
          { email: ADMIN, role: "OWNER" },
        ],
      },
    ],
    ...overrides,
  };
}

export interface Workspace {
  sim: GoogleSimulator;
  delegation: KeylessDelegation;
  directory: GoogleDirectory;
  calendar: GoogleCalendar;
  people: GooglePeople;
  mailer: GoogleMailer;
  close(): Promise<void>;
}

/** A simulator plus every adapter pointed at it through the keyless path, as production wires them. */
export async function startWorkspace(
  seed: TenantSeed = baseSeed(),
  options: { retry?: RetryPolicy; now?: () => number; allowHttpPush?: boolean } = {},
): Promise<Workspace> {
  // The push receivers below listen on plain loopback HTTP; Google (and the simulator by default) wants https.
  const sim = await startGoogleSimulator({ seed, allowHttpPushAddresses: options.allowHttpPush ?? true });
  const retry = options.retry ?? FAST_RETRY;
  const delegation = new KeylessDelegation({
    serviceAccountEmail: SERVICE_ACCOUNT,
    sourceCredential: fixedSourceCredential(SOURCE_TOKEN),
    endpoints: sim.endpoints,
    now: options.now ?? (() => sim.tenant.clock.now()),
  });
  const common = { tokens: delegation, apiRootUrl: sim.endpoints.apiRootUrl, retry };
  return {
    sim,
    delegation,
    directory: new GoogleDirectory({ ...common, customerId: "my_customer", adminSubject: ADMIN }),
    calendar: new GoogleCalendar(common),
    people: new GooglePeople(common),
    mailer: new GoogleMailer(common),
    close: () => sim.close(),
  };
}

export interface ReceivedPush {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface PushReceiver {
  url: string;
  received: ReceivedPush[];
  /** Status the receiver answers with (default 200). */
  status: number;
  close(): Promise<void>;
}

/** A webhook endpoint on loopback that records what Google (the simulator) posts to it. */
export async function startPushReceiver(): Promise<PushReceiver> {
  const received: ReceivedPush[] = [];
  const receiver = { status: 200 } as PushReceiver;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(receiver.status);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/push`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

export function header(push: ReceivedPush, name: string): string | undefined {
  const value = push.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The real client libraries pointed at the simulator, for what the adapters do not ask for. */
export function rawClients(ws: Workspace) {
  const options = clientOptions(ws.sim.endpoints.apiRootUrl, 10_000);
  return {
    calendar: new calendar_v3.Calendar(options),
    admin: new admin_directory_v1.Admin(options),
    gmail: new gmail_v1.Gmail(options),
  };
}

/** Request options carrying a delegated token for `subject` (what the adapters pass per call). */
export async function asUser(
  ws: Workspace,
  subject: string,
  scopes: readonly string[],
): Promise<{ headers: { Authorization: string } }> {
  return { headers: { Authorization: `Bearer ${await ws.delegation.accessToken(subject, scopes)}` } };
}

/** The status, body and headers of a rejected client call (a GaxiosError). */
export async function failureOf(
  call: Promise<unknown>,
): Promise<{ status?: number; data: unknown; headers: Record<string, string> }> {
  const error = (await call.then(
    () => {
      throw new Error("the call succeeded");
    },
    (e: unknown) => e,
  )) as { response?: { status?: number; data?: unknown; headers?: unknown } };
  const raw = error.response?.headers;
  const headers: Record<string, string> = {};
  if (raw instanceof Headers) {
    for (const [key, value] of raw) headers[key] = value;
  } else if (raw && typeof raw === "object") Object.assign(headers, raw);
  return { status: error.response?.status, data: error.response?.data, headers };
}
