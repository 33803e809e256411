/**
 * A PBX nobody can reach fails each call within about 10 s on default settings, with an error that
 * names the PBX, the attempts made and the last cause: one retry budget per call, token included.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createThreeCxClient, type ThreeCxClient } from "../../../shared/adapters/threecx/client.js";
import { ThreeCxError } from "../../../shared/ports/threecx.js";
import { type BlackholedPort, blackholedPort, refusingPort } from "../../support/unreachable-ports.js";

let client: ThreeCxClient | undefined;
let blackhole: BlackholedPort | undefined;
afterEach(async () => {
  await client?.close();
  await blackhole?.close();
  client = blackhole = undefined;
});

const clientFor = (baseUrl: string, overrides: Parameters<typeof createThreeCxClient>[0]["retry"] = {}) =>
  createThreeCxClient({ baseUrl, clientId: "gw3cx", clientSecret: "s3cret-value", retry: overrides });

describe("an unreachable PBX", () => {
  it("that refuses connections fails with THREECX_UNREACHABLE naming the URL, attempts and cause", async () => {
    const url = `http://127.0.0.1:${await refusingPort()}`;
    client = clientFor(url);
    const started = performance.now();
    const error = await client.listUsers().catch((e: unknown) => e);
    const seconds = (performance.now() - started) / 1000;
    expect(error).toBeInstanceOf(ThreeCxError);
    expect(error).toMatchObject({ code: "THREECX_UNREACHABLE", details: { url, attempts: 5 } });
    const message = (error as Error).message;
    expect(message).toContain("ListUser: 3CX Token failed: no connection to the PBX (ECONNREFUSED)");
    expect(message).toMatch(new RegExp(`PBX ${url}; gave up after 5 attempts in \\d+\\.\\d s`));
    expect(message).not.toContain("s3cret-value");
    // One budget: five token requests in all, not five per attempt of the call.
    expect(client.requests.requests("Token")).toBe(5);
    expect(seconds).toBeLessThan(10);
  }, 20_000);

  it("that drops packets fails within about 10 s on default settings", async () => {
    blackhole = await blackholedPort();
    const url = `http://127.0.0.1:${blackhole.port}`;
    client = clientFor(url);
    const started = performance.now();
    const error = await client.listUsers().catch((e: unknown) => e);
    const seconds = (performance.now() - started) / 1000;
    expect(error).toMatchObject({ code: "THREECX_UNREACHABLE", details: { url } });
    expect((error as Error).message).toContain("connect timed out after 2000 ms");
    const attempts = client.requests.requests("Token");
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect((error as Error).message).toContain(`gave up after ${attempts} attempts`);
    expect(seconds).toBeGreaterThan(6);
    expect(seconds).toBeLessThan(10.5);
  }, 20_000);
});
