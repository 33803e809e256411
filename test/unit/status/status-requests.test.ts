import { describe, expect, it, vi } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { Gw3cxError } from "../../../shared/errors.js";
import {
  handleStatusRequest,
  type StatusPageHandlers,
} from "../../../shared/runtime/status-page/status-requests.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import { readLocalStatus } from "../../support/read-local-status.js";

const HOST = "127.0.0.1:8080";
const ORIGIN = `http://${HOST}`;
const status = { held: [], runs: [], marker: "the model" } as unknown as Gw3cxStatus;

function handlers(overrides: Partial<StatusPageHandlers> = {}) {
  const approve = vi.fn(async (runId: string) => ({ runId: `approval-of-${runId}`, status: "applied" }));
  const access = vi.fn(async () => ({ allowed: true as const, viewer: "tester" }));
  return {
    approve,
    access,
    h: {
      scheme: "http" as const,
      csrfToken: "token-1",
      readStatus: async () => status,
      approve,
      access,
      ...overrides,
    },
  };
}

const post = (body: string, headers: Record<string, string> = { origin: ORIGIN }) => ({
  method: "POST",
  url: "/approve",
  headers: { host: HOST, ...headers },
  body,
});

describe("status page requests (the handler the local host and the cloud function share)", () => {
  it("/status.json is the model itself, as JSON", async () => {
    const { h } = handlers();
    const res = await handleStatusRequest(
      { method: "GET", url: "/status.json", headers: { host: HOST }, body: "" },
      h,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual(status);
  });

  it("answers unknown paths 404 and wrong methods 405 with Allow", async () => {
    const { h } = handlers();
    expect(
      (await handleStatusRequest({ method: "GET", url: "/nope", headers: {}, body: "" }, h)).status,
    ).toBe(404);
    const put = await handleStatusRequest({ method: "PUT", url: "/", headers: {}, body: "" }, h);
    expect(put).toMatchObject({ status: 405, headers: { allow: "GET" } });
    const get = await handleStatusRequest({ method: "GET", url: "/approve", headers: {}, body: "" }, h);
    expect(get).toMatchObject({ status: 405, headers: { allow: "POST" } });
  });

  it("refuses a caller access refuses, with its status and reason, and reads nothing", async () => {
    const readStatus = vi.fn(async () => status);
    const { h } = handlers({
      readStatus,
      access: async () => ({ allowed: false, status: 401, reason: "Sign in <please>" }),
    });
    const res = await handleStatusRequest({ method: "GET", url: "/", headers: { host: HOST }, body: "" }, h);
    expect(res.status).toBe(401);
    expect(res.body).toContain("Sign in &lt;please&gt;");
    expect(readStatus).not.toHaveBeenCalled();
  });

  it.each([
    ["another site's Origin", { origin: "https://evil.example" }],
    ["Origin null (a sandboxed or no-referrer page)", { origin: "null" }],
    ["a cross-site fetch without Origin", { "sec-fetch-site": "cross-site" }],
    ["neither Origin nor Sec-Fetch-Site", {}],
  ])("refuses an approval with %s before checking who sent it", async (_name, headers) => {
    const { h, approve, access } = handlers();
    const res = await handleStatusRequest(post("runId=r1&csrf=token-1", headers), h);
    expect(res.status).toBe(403);
    expect(approve).not.toHaveBeenCalled();
    expect(access).not.toHaveBeenCalled();
  });

  it.each([
    ["no token", "runId=r1"],
    ["a wrong token", "runId=r1&csrf=token-2"],
    ["a longer token", "runId=r1&csrf=token-1x"],
  ])("refuses a same-origin approval with %s (local CSRF guard)", async (_name, body) => {
    const { h, approve } = handlers();
    expect((await handleStatusRequest(post(body), h)).status).toBe(403);
    expect(approve).not.toHaveBeenCalled();
  });

  it("approves as the verified viewer and redirects to the page, which tells the outcome", async () => {
    const { h, approve } = handlers();
    const res = await handleStatusRequest(post("runId=20260324T020000-daily-ab12&csrf=token-1"), h);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("./?approved=approval-of-20260324T020000-daily-ab12");
    expect(approve).toHaveBeenCalledWith("20260324T020000-daily-ab12", "tester");
  });

  it("without a CSRF token configured (the cloud), the origin check alone guards an approval", async () => {
    const { h, approve } = handlers({ csrfToken: undefined, scheme: "https" });
    const res = await handleStatusRequest(post("runId=r1", { origin: `https://${HOST}` }), h);
    expect(res.status).toBe(303);
    expect(approve).toHaveBeenCalledWith("r1", "tester");
  });

  it("names a bad run id, and answers 409 for a run that is not held", async () => {
    const { h } = handlers({
      approve: async (runId) => {
        throw new Gw3cxError("RUN_NOT_HELD", `sync run ${runId} is applied, not held`);
      },
    });
    const bad = await handleStatusRequest(post("runId=%3Cscript%3E&csrf=token-1"), h);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("runId must name a held run");
    expect(bad.body).not.toContain("<script>");
    expect(bad.body).toContain("&quot;&lt;script&gt;&quot;");
    const notHeld = await handleStatusRequest(post("runId=r1&csrf=token-1"), h);
    expect(notHeld.status).toBe(409);
    expect(notHeld.body).toContain("sync run r1 is applied, not held");
  });

  it("sends a policy that allows no script, no frame and no outside resource", async () => {
    const state = new SqliteStateStore(":memory:");
    const model = await readLocalStatus(state, new Date());
    await state.close();
    const { h } = handlers({ readStatus: async () => model });
    const res = await handleStatusRequest({ method: "GET", url: "/", headers: { host: HOST }, body: "" }, h);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.status).toBe(200);
    expect(res.body).not.toContain("<script");
  });
});
