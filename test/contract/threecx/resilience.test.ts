/**
 * Faults, tokens and limits: every fault mode of the simulator against the client, the token
 * lifetime rules of both XAPI generations, the one-token-per-client rule and the role check.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createThreeCxClient } from "../../../shared/adapters/threecx/client.js";
import { ThreeCxError } from "../../../shared/ports/threecx.js";
import { BASE_SEED, CLIENT_ID, type SimulatedPbx, startPbx } from "./harness.js";

const running: SimulatedPbx[] = [];

async function pbxWith(...args: Parameters<typeof startPbx>): Promise<SimulatedPbx> {
  const pbx = await startPbx(...args);
  running.push(pbx);
  return pbx;
}

afterEach(async () => {
  for (const pbx of running.splice(0)) {
    expect(pbx.sim.stats.specRejections).toEqual([]);
    await pbx.sim.close();
  }
});

describe("retries", () => {
  it.each(["status500", "status503"] as const)("retries a %s and succeeds", async (fault) => {
    const pbx = await pbxWith();
    pbx.sim.faults.add({ operation: "ListUser", fault, times: 2 });
    expect(await pbx.client.listUsers()).toHaveLength(2);
    expect(pbx.client.requests.snapshot().ListUser).toEqual({ requests: 3, retries: 2 });
    expect(pbx.sim.faults.fired(fault)).toBe(2);
  });

  it("gives up after the configured retries with THREECX_UNAVAILABLE and the status", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    pbx.sim.faults.add({ operation: "GetFirstAvailableExtensionNumber", fault: "status503" });
    await expect(client.getFirstAvailableExtensionNumber()).rejects.toMatchObject({
      code: "THREECX_UNAVAILABLE",
      status: 503,
    });
    expect(client.requests.requests("GetFirstAvailableExtensionNumber")).toBe(3);
  });

  it("waits at least Retry-After on 429", async () => {
    const pbx = await pbxWith();
    pbx.sim.faults.add({ operation: "ListPeer", fault: "rateLimit", retryAfterSeconds: 1, times: 1 });
    const started = performance.now();
    await pbx.client.listDns();
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(pbx.client.requests.snapshot().ListPeer).toEqual({ requests: 2, retries: 1 });
  });

  it("fails fast as rate limited when Retry-After is beyond what the client will wait", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ retry: { maxRetryAfterMs: 500 } });
    pbx.sim.faults.add({ operation: "ListPeer", fault: "rateLimit", retryAfterSeconds: 30 });
    await expect(client.listDns()).rejects.toMatchObject({
      code: "THREECX_RATE_LIMITED",
      retryAfterMs: 30_000,
    });
    expect(client.requests.requests("ListPeer")).toBe(1);
  });

  it("times out a request that gets no answer and retries it", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ requestTimeoutMs: 150 });
    pbx.sim.faults.add({ operation: "GetUserByNumber", fault: "timeout", times: 1 });
    expect((await client.getUserByNumber("101"))?.FirstName).toBe("Ada");
    expect(client.requests.snapshot().GetUserByNumber).toEqual({ requests: 2, retries: 1 });
  });

  it("reports THREECX_TIMEOUT when every attempt times out", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ requestTimeoutMs: 100, retry: { retries: 1 } });
    pbx.sim.faults.add({ operation: "GetUser", fault: "timeout" });
    await expect(client.getUser(1)).rejects.toMatchObject({ code: "THREECX_TIMEOUT", operation: "GetUser" });
  });

  it("adds the injected latency to every matching request", async () => {
    const pbx = await pbxWith();
    pbx.sim.faults.add({ operation: "GetUserByNumber", latencyMs: 120 });
    await pbx.client.listUsers(); // token first, outside the measurement
    const started = performance.now();
    await pbx.client.getUserByNumber("101");
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });
});

describe("writes whose answer was lost", () => {
  it("a create that was applied is recognised, not repeated into a duplicate", async () => {
    const pbx = await pbxWith();
    pbx.sim.faults.add({ operation: "CreateUser", fault: "lostResponse", times: 1 });
    const user = await pbx.client.createUser({
      Number: "140",
      FirstName: "Lost",
      EmailAddress: "lost@example.com",
    });
    expect(user).toMatchObject({ Number: "140", FirstName: "Lost" });
    expect(pbx.sim.stats.requests.CreateUser).toBe(1);
    expect(pbx.sim.stats.ruleRejections).toEqual({});
    expect(pbx.client.requests.requests("GetUserByNumber")).toBe(1);
  });

  it("an update is simply repeated (PATCH is idempotent)", async () => {
    const pbx = await pbxWith();
    const ada = (await pbx.client.getUserByNumber("101"))?.Id as number;
    pbx.sim.faults.add({ operation: "UpdateUser", fault: "lostResponse", times: 1 });
    await pbx.client.updateUser(ada, { LastName: "King" });
    expect(pbx.sim.state.userById(ada)?.LastName).toBe("King");
    expect(pbx.client.requests.snapshot().UpdateUser).toEqual({ requests: 2, retries: 1 });
  });

  it("a personal contact that was created is found again instead of created twice", async () => {
    const pbx = await pbxWith();
    pbx.sim.faults.add({ operation: "CreateContactByNumber", fault: "lostResponse", times: 1 });
    const contact = await pbx.client.createPersonalContact("101", {
      FirstName: "Once",
      PhoneNumber: "+1555",
    });
    expect(contact.FirstName).toBe("Once");
    expect(await pbx.client.listPersonalContacts("101")).toHaveLength(1);
  });

  it("a contact delete is repeated safely", async () => {
    const pbx = await pbxWith();
    const contact = await pbx.client.createPersonalContact("101", {
      FirstName: "Gone",
      PhoneNumber: "+1555",
    });
    pbx.sim.faults.add({ operation: "DeleteContactsById", fault: "lostResponse", times: 1 });
    await pbx.client.deleteContacts([contact.Id]);
    expect(await pbx.client.listPersonalContacts("101")).toEqual([]);
    expect(pbx.client.requests.requests("DeleteContactsById")).toBe(2);
  });

  it("a create that was not applied (the request timed out) is sent again", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ requestTimeoutMs: 150 });
    pbx.sim.faults.add({ operation: "CreateUser", fault: "timeout", times: 1 });
    const user = await client.createUser({ Number: "141", FirstName: "Second try" });
    expect(user.Number).toBe("141");
    expect(client.requests.requests("CreateUser")).toBe(2);
  });
});

describe("tokens", () => {
  it("shares one token among concurrent calls", async () => {
    const pbx = await pbxWith();
    await Promise.all(Array.from({ length: 20 }, () => pbx.client.getUserByNumber("101")));
    expect(pbx.client.requests.requests("Token")).toBe(1);
    expect(pbx.sim.stats.requests.Token).toBe(1);
  });

  it("renews the token before it expires, from the JWT's own lifetime", async () => {
    const pbx = await pbxWith(BASE_SEED, { token: { lifetimeSeconds: 1 } });
    await pbx.client.getUserByNumber("101");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await pbx.client.getUserByNumber("101");
    expect(pbx.client.requests.requests("Token")).toBe(2);
    // Renewed ahead of expiry: the PBX never had to refuse a token.
    expect(pbx.sim.stats.unauthorized).toBe(0);
  });

  it.each([
    ["seconds (20.0.9 and newer)", "seconds"],
    ["minutes (before 20.0.9)", "minutes"],
  ] as const)("reads an opaque token's expires_in in %s", async (_label, expiresInUnit) => {
    let now = Date.now();
    const clock = () => now;
    const pbx = await pbxWith(BASE_SEED, {
      now: clock,
      token: { lifetimeSeconds: 3600, expiresInUnit, format: "opaque" },
    });
    const client = pbx.newClient({ now: clock });
    await client.getUserByNumber("101");
    now += 50 * 60_000; // 50 of 60 minutes: still valid, no renewal
    await client.getUserByNumber("101");
    expect(client.requests.requests("Token")).toBe(1);
    now += 10 * 60_000; // past the hour
    await client.getUserByNumber("101");
    expect(client.requests.requests("Token")).toBe(2);
    expect(pbx.sim.stats.unauthorized).toBe(0);
  });

  it("fetches a new token once when the PBX answers 401", async () => {
    const pbx = await pbxWith();
    await pbx.client.getUserByNumber("101");
    pbx.sim.tokens.expireAll();
    expect((await pbx.client.getUserByNumber("101"))?.Number).toBe("101");
    expect(pbx.client.requests.requests("Token")).toBe(2);
    expect(pbx.sim.stats.unauthorized).toBe(1);
  });

  it("one active token per API client: a second client's token retires the first one's", async () => {
    const pbx = await pbxWith();
    const first = pbx.client;
    const second = pbx.newClient();
    await first.getUserByNumber("101");
    await second.getUserByNumber("101"); // issues a new token: the first client's stops working
    await first.getUserByNumber("101");
    expect(pbx.sim.stats.unauthorized).toBe(1);
    expect(first.requests.requests("Token")).toBe(2);
  });

  it("reports refused credentials as THREECX_AUTH_FAILED without retrying or echoing the secret", async () => {
    const pbx = await pbxWith();
    const client = createThreeCxClient({
      baseUrl: pbx.sim.url,
      clientId: CLIENT_ID,
      clientSecret: "wrong-secret-value",
      retry: { baseDelayMs: 1 },
    });
    const error = await client.listUsers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreeCxError);
    expect(error).toMatchObject({ code: "THREECX_AUTH_FAILED", status: 400 });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain("wrong-secret-value");
    expect(client.requests.requests("Token")).toBe(1);
  });

  it("a token request that fails on a server error costs the call one attempt, then succeeds", async () => {
    const pbx = await pbxWith();
    pbx.sim.faults.add({ operation: "Token", fault: "status500", times: 1 });
    await pbx.client.getUserByNumber("101");
    expect(pbx.client.requests.requests("Token")).toBe(2);
    expect(pbx.client.requests.snapshot().GetUserByNumber).toEqual({ requests: 1, retries: 1 });
  });

  it("a token endpoint that keeps failing uses the call's one budget, not a budget per attempt", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    pbx.sim.faults.add({ operation: "Token", fault: "status503" });
    const error = await client.getUserByNumber("101").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "THREECX_UNAVAILABLE", status: 503 });
    expect((error as Error).message).toContain("GetUserByNumber: 3CX Token failed with HTTP 503");
    expect((error as Error).message).toContain(`PBX ${pbx.sim.url}; gave up after 4 attempts`);
    // Four attempts of the call, each one token request: before, each attempt retried the token 4 times.
    expect(client.requests.requests("Token")).toBe(4);
    expect(client.requests.requests("GetUserByNumber")).toBe(0);
  });

  it("a create whose token fetch lost its connection is still retried: the create was never sent", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    pbx.sim.faults.add({ operation: "Token", fault: "lostResponse", times: 1 });
    const user = await client.createUser({
      Number: "142",
      FirstName: "Token",
      EmailAddress: "t@example.com",
    });
    expect(user.Number).toBe("142");
    expect(client.requests.requests("CreateUser")).toBe(1);
    // Not mistaken for a create whose answer was lost: no lookup of whether it was applied.
    expect(client.requests.requests("GetUserByNumber")).toBe(0);
  });
});

describe("roles and limits", () => {
  it("an API client without the System Owner role gets 403 on settings", async () => {
    const pbx = await pbxWith({
      ...BASE_SEED,
      apiClients: [{ clientId: "admin-only", secret: "admin-secret", role: "system_admin" }],
    });
    const admin = pbx.newClient({ clientId: "admin-only", clientSecret: "admin-secret" });
    expect(await admin.listUsers()).toHaveLength(2);
    await expect(admin.getSettings("GoogleSettings")).rejects.toMatchObject({
      code: "THREECX_FORBIDDEN",
      status: 403,
    });
    expect(admin.requests.requests("GetGoogleSettings")).toBe(1);
  });

  it("never has more than maxInFlight requests at the PBX", async () => {
    const pbx = await pbxWith();
    const client = pbx.newClient({ maxInFlight: 3 });
    pbx.sim.faults.add({ operation: "GetUserByNumber", latencyMs: 30 });
    await Promise.all(Array.from({ length: 12 }, () => client.getUserByNumber("101")));
    expect(pbx.sim.stats.maxConcurrent).toBe(3);
  });

  it("halves the page size when the PBX refuses $top as too large", async () => {
    const pbx = await pbxWith(
      { ...BASE_SEED, generatedUsers: { count: 45, startNumber: "500" } },
      { maxTop: 20 },
    );
    const client = pbx.newClient({ pageSize: 80 });
    expect(await client.listUsers()).toHaveLength(47);
    // 80 and 40 refused, then pages of 20: 47 users in 3 pages.
    expect(client.requests.requests("ListUser")).toBe(5);
    expect(await client.listUsers()).toHaveLength(47);
    expect(client.requests.requests("ListUser")).toBe(8);
    // The refusals were the PBX's page limit, not a malformed request: clear them for the suite check.
    expect(pbx.sim.stats.specRejections.map((r) => r.target)).toEqual(["$top", "$top"]);
    pbx.sim.resetStats();
  });
});
