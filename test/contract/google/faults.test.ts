import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GoogleDirectory } from "../../../shared/adapters/google/directory.js";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import { DirectoryError } from "../../../shared/ports/directory.js";
import {
  ADMIN,
  asUser,
  DOMAIN,
  FAST_RETRY,
  failureOf,
  header,
  type PushReceiver,
  rawClients,
  startPushReceiver,
  startWorkspace,
  type Workspace,
} from "./support.js";

const GRACE = `grace@${DOMAIN}`;

describe("fault injection and the adapters' retry policy", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await startWorkspace();
    await ws.directory.getUser(ADMIN); // token cached: the counts below are API calls only
    ws.sim.resetRequests();
  });
  afterEach(() => ws.close());

  it("adds latency to a route", async () => {
    ws.sim.addFault({ operation: "directory.users.get", latencyMs: 120, times: 1 });
    const started = performance.now();
    await ws.directory.getUser(GRACE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    const again = performance.now();
    await ws.directory.getUser(GRACE);
    expect(performance.now() - again).toBeLessThan(115);
  });

  it.each(["500", "502", "503", "429", "403-rateLimitExceeded", "403-userRateLimitExceeded"] as const)(
    "retries a transient %s and succeeds",
    async (error) => {
      ws.sim.addFault({ operation: "directory.users.get", error, times: 2 });
      expect((await ws.directory.getUser(GRACE))?.primaryEmail).toBe(GRACE);
      expect(ws.sim.requests.map((r) => r.status)).toEqual([
        Number(error.slice(0, 3)),
        Number(error.slice(0, 3)),
        200,
      ]);
    },
  );

  it("gives up after the retry budget with a typed error carrying Google's reason", async () => {
    ws.sim.addFault({ operation: "directory.users.list", error: "403-userRateLimitExceeded" });
    const error = await ws.directory.listUsersPage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({
      code: "DIRECTORY_RATE_LIMITED",
      reason: "userRateLimitExceeded",
      status: 403,
    });
    expect(ws.sim.count("directory.users.list")).toBe(FAST_RETRY.retries + 1);

    ws.sim.clearFaults();
    ws.sim.resetRequests();
    ws.sim.addFault({ operation: "directory.*", error: "503" });
    await expect(ws.directory.getUser(GRACE)).rejects.toMatchObject({
      code: "DIRECTORY_UNAVAILABLE",
      reason: "backendError",
      status: 503,
    });
    expect(ws.sim.count("directory.users.get")).toBe(FAST_RETRY.retries + 1);
  });

  it("does not retry a 403 that is not about rate", async () => {
    const asNonAdmin = new GoogleDirectory({
      tokens: ws.delegation,
      apiRootUrl: ws.sim.endpoints.apiRootUrl,
      retry: FAST_RETRY,
      customerId: "my_customer",
      adminSubject: GRACE,
    });
    await expect(asNonAdmin.getUser(ADMIN)).rejects.toMatchObject({
      code: "DIRECTORY_NOT_AUTHORIZED",
      reason: "forbidden",
    });
    expect(ws.sim.count("directory.users.get")).toBe(1);
  });

  it("answers an API that is not enabled as Google does, and the adapters do not retry it", async () => {
    ws.sim.addFault({ operation: "directory.*", error: "403-accessNotConfigured", projectNumber: "555" });
    ws.sim.addFault({ operation: "people.*", error: "403-accessNotConfigured", projectNumber: "555" });
    const raw = await failureOf(
      rawClients(ws).admin.users.list(
        { customer: "my_customer", maxResults: 1 },
        await asUser(ws, ADMIN, SCOPES.directoryUsers),
      ),
    );
    expect(raw.status).toBe(403);
    const body = raw.data as {
      error: {
        status: string;
        errors: { reason: string; domain: string }[];
        details: Record<string, unknown>[];
      };
    };
    expect(body.error.status).toBe("PERMISSION_DENIED");
    expect(body.error.errors[0]).toMatchObject({ reason: "accessNotConfigured", domain: "usageLimits" });
    expect(body.error.details).toContainEqual({
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "SERVICE_DISABLED",
      domain: "googleapis.com",
      metadata: { service: "admin.googleapis.com", consumer: "projects/555" },
    });

    ws.sim.resetRequests();
    await expect(ws.directory.getUser(GRACE)).rejects.toMatchObject({
      code: "DIRECTORY_NOT_AUTHORIZED",
      reason: "accessNotConfigured",
      status: 403,
    });
    expect(ws.sim.count("directory.users.get")).toBe(1);
    // People, a newer API, has no errors[] list: the reason comes from its ErrorInfo.
    await expect(ws.people.listContactLabels(ADMIN)).rejects.toMatchObject({
      code: "PEOPLE_NOT_AUTHORIZED",
      reason: "SERVICE_DISABLED",
    });
  });

  it("retries a failing token endpoint once per policy, not once per layer", async () => {
    ws.sim.addFault({ operation: "oauth.token", error: "503" });
    await expect(ws.calendar.syncEvents(GRACE)).rejects.toMatchObject({
      code: "CALENDAR_UNAVAILABLE",
      status: 503,
    });
    expect(ws.sim.count("oauth.token")).toBe(FAST_RETRY.retries + 1);
    expect(ws.sim.count("calendar.events.list")).toBe(0);
  });

  it("retries the delegation endpoints too, each failure one attempt of the call", async () => {
    ws.sim.addFault({ operation: "iamcredentials.signJwt", error: "503", times: 1 });
    ws.sim.addFault({ operation: "oauth.token", error: "500", times: 1 });
    expect((await ws.calendar.syncEvents(GRACE)).full).toBe(true);
    // Attempt 1: signJwt 503. Attempt 2: signJwt, then the exchange 500. Attempt 3: both, then the call.
    expect(
      ws.sim.requests.filter((r) => r.operation !== "calendar.events.list").map((r) => r.status),
    ).toEqual([503, 200, 500, 200, 200]);
  });

  it("a failing token endpoint and a failing API share one budget per call", async () => {
    ws.sim.addFault({ operation: "oauth.token", error: "503", times: 2 });
    ws.sim.addFault({ operation: "calendar.events.list", error: "503" });
    await expect(ws.calendar.syncEvents(GRACE)).rejects.toMatchObject({ code: "CALENDAR_UNAVAILABLE" });
    expect(ws.sim.count("oauth.token")).toBe(3);
    expect(ws.sim.count("calendar.events.list")).toBe(FAST_RETRY.retries + 1 - 2);
  });

  it("starts no attempt past the retry window, however many retries are left", async () => {
    const windowed = await startWorkspace(undefined, {
      retry: { retries: 50, minDelayMs: 100, maxDelayMs: 100, jitter: false, windowMs: 450 },
    });
    try {
      windowed.sim.addFault({ operation: "directory.users.get", error: "503" });
      const started = performance.now();
      await expect(windowed.directory.getUser(GRACE)).rejects.toMatchObject({
        code: "DIRECTORY_UNAVAILABLE",
      });
      expect(performance.now() - started).toBeLessThan(1_500);
      // Attempts at about 0, 100, 200, 300, 400 ms and one at the window's end: never all 51.
      expect(windowed.sim.count("directory.users.get")).toBeLessThanOrEqual(7);
      expect(windowed.sim.count("directory.users.get")).toBeGreaterThanOrEqual(3);
    } finally {
      await windowed.close();
    }
  });
});

describe("notification faults", () => {
  let ws: Workspace;
  let receiver: PushReceiver;
  beforeEach(async () => {
    ws = await startWorkspace();
    receiver = await startPushReceiver();
    await ws.directory.watchUsers("update", { channelId: "faulty", address: receiver.url, token: "t" });
    await ws.sim.notificationsIdle();
    receiver.received.length = 0;
  });
  afterEach(async () => {
    await ws.close();
    await receiver.close();
  });

  const states = () => receiver.received.map((p) => header(p, "X-Goog-Message-Number"));
  const changeGrace = (n: number) => {
    for (let i = 0; i < n; i++) ws.sim.tenant.updateUser(GRACE, { givenName: `Grace ${i}` });
  };

  it("drops a notification", async () => {
    ws.sim.addNotificationFault({ kind: "drop", times: 1 });
    changeGrace(2);
    await ws.sim.notificationsIdle();
    expect(receiver.received).toHaveLength(1);
    expect(ws.sim.tenant.channels.deliveries.filter((d) => d.outcome === "dropped")).toHaveLength(1);
  });

  it("duplicates a notification (same message number)", async () => {
    ws.sim.addNotificationFault({ kind: "duplicate", times: 1 });
    changeGrace(1);
    await ws.sim.notificationsIdle();
    const numbers = states();
    expect(numbers).toHaveLength(2);
    expect(numbers[0]).toBe(numbers[1]);
  });

  it("reorders notifications", async () => {
    ws.sim.addNotificationFault({ kind: "reorder", times: 3 });
    changeGrace(3);
    await ws.sim.notificationsIdle();
    const numbers = states().map(Number);
    expect(numbers).toHaveLength(3);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  it("redelivers after a 503 from the receiver, as Google backs off", async () => {
    receiver.status = 503;
    changeGrace(1);
    await ws.sim.notificationsIdle();
    expect(receiver.received.length).toBe(3);
  });

  it("answers an injected 429 with Retry-After, and a faulted token endpoint in OAuth's error shape", async () => {
    ws.sim.addFault({ operation: "directory.users.get", error: "429", retryAfterSeconds: 7, times: 1 });
    const token = await ws.delegation.accessToken(ADMIN, [
      "https://www.googleapis.com/auth/admin.directory.user.readonly",
    ]);
    const limited = await fetch(`${ws.sim.url}/admin/directory/v1/users/${GRACE}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(
      ((await limited.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]?.reason,
    ).toBe("rateLimitExceeded");

    for (const [error, status, code] of [
      ["503", 503, "internal_failure"],
      ["429", 429, "rate_limit_exceeded"],
    ] as const) {
      ws.sim.addFault({ operation: "oauth.token", error, times: 1 });
      const answer = await fetch(ws.sim.endpoints.oauthTokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=x",
      });
      expect(answer.status).toBe(status);
      const body = (await answer.json()) as Record<string, unknown>;
      expect(body).toEqual({ error: code, error_description: expect.any(String) });
      if (status === 429) expect(answer.headers.get("retry-after")).toBe("1");
    }
  });
});
