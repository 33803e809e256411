import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GoogleCallerVerifier } from "../../../shared/adapters/google/google-caller-verifier.js";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import type { DirectoryUser } from "../../../shared/ports/directory.js";
import {
  handleStatusRequest,
  type StatusPageHandlers,
} from "../../../shared/runtime/status-page/status-requests.js";
import { authorizeStatusCaller } from "../../../shared/usecases/status/authorize-status-caller.js";
import { SyncRunStore } from "../../../shared/usecases/user-sync/sync-run-store.js";
import {
  axeViolations,
  chromiumMissing,
  type HeadlessChromium,
  launchChromium,
  screenshot,
} from "../../support/browser/chromium.js";
import { capturedLogger } from "../../support/captured-logger.js";
import { type GoogleSigner, startGoogleSigner } from "../../support/google-signer.js";
import { LOCAL_DEMO_STATUS, readLocalStatus } from "../../support/read-local-status.js";

const AUDIENCE = "/projects/100000000001/locations/europe-west1/services/gw3cx-status-page";
const HELD = "20260324T020000-daily-held01";

/**
 * The cloud page's access in real Chromium: the request handler and admin gate the statusPage
 * function runs (IAP assertions verified by google-auth-library against loopback-published keys,
 * admins by the Directory), with IAP played by the browser sending its header. The approval itself
 * is recorded by a stand-in here; the deployed suite applies a real one through the function.
 */
describe.skipIf(chromiumMissing !== "")(
  `cloud status page access in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ""}`,
  () => {
    let signer: GoogleSigner;
    let state: SqliteStateStore;
    let server: Server;
    let url: string;
    let chromium: HeadlessChromium;
    let page: Page;
    const approvals: Array<[string, string]> = [];
    const iapAs = (email: string) => ({
      "x-goog-iap-jwt-assertion": signer.iapAssertion({ email, aud: AUDIENCE }),
    });

    beforeAll(async () => {
      signer = await startGoogleSigner();
      state = new SqliteStateStore(":memory:");
      const runs = new SyncRunStore(state);
      await runs.start({
        runId: HELD,
        trigger: "daily",
        status: "held",
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
        errors: [],
        heldDisables: [
          { googleId: "g7", email: "grace@example.com", threecxId: 7, number: "1007", reason: "suspended" },
        ],
        safeguard: { disables: 1, limit: 0 },
      });
      const directory = {
        getUser: async (email: string) =>
          ({ primaryEmail: email, isAdmin: email === "admin@example.com" }) as DirectoryUser,
      };
      const verifier = new GoogleCallerVerifier({
        iapAudience: AUDIENCE,
        idTokenAudiences: [],
        iapPublicKeysUrl: signer.iapPublicKeysUrl,
        idTokenCertsUrl: signer.idTokenCertsUrl,
      });
      const handlers: StatusPageHandlers = {
        scheme: "http",
        readStatus: () =>
          readLocalStatus(state, new Date(), { ...LOCAL_DEMO_STATUS, mode: "tenant", host: "cloud" }),
        access: (headers) =>
          authorizeStatusCaller(
            headers,
            { verifier, directory, logger: capturedLogger("cloud-access").logger },
            [],
          ),
        approve: async (heldRunId, approver) => {
          approvals.push([heldRunId, approver]);
          await runs.start({
            runId: "approval-1",
            trigger: "approval",
            status: "applied",
            approves: heldRunId,
            startedAt: new Date().toISOString(),
            errors: [],
          });
          await runs.finish(heldRunId, {
            status: "approved",
            approvedBy: `${approver} on the status page (approval-1)`,
          });
          return { runId: "approval-1", status: "applied" };
        },
      };
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          void handleStatusRequest(
            {
              method: req.method ?? "GET",
              url: req.url ?? "/",
              headers: req.headers,
              body: Buffer.concat(chunks),
            },
            handlers,
          ).then((r) => res.writeHead(r.status, r.headers).end(r.body));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      chromium = await launchChromium();
      page = await chromium.context.newPage();
    });

    afterAll(async () => {
      await chromium?.close();
      server?.close();
      await state?.close();
      await signer?.close();
    });

    it("without IAP's header the page asks to sign in (401), and that page passes axe", async () => {
      await chromium.context.setExtraHTTPHeaders({});
      const response = await page.goto(url);
      expect(response?.status()).toBe(401);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Sign-in required");
      expect(await axeViolations(page)).toEqual([]);
    });

    it("a Workspace user who is not an admin is refused (403)", async () => {
      await chromium.context.setExtraHTTPHeaders(iapAs("ada@example.com"));
      expect((await page.goto(url))?.status()).toBe(403);
    });

    it("an approve sent without credentials is refused, even from the page itself", async () => {
      await chromium.context.setExtraHTTPHeaders(iapAs("admin@example.com"));
      await page.goto(url);
      await chromium.context.setExtraHTTPHeaders({});
      const answer = page.waitForResponse((r) => r.url().endsWith("/approve"));
      await page.getByRole("button", { name: `Approve run ${HELD} and disable 1 users` }).click();
      expect((await answer).status()).toBe(401);
      expect(approvals).toEqual([]);
    });

    it("the admin IAP vouches for approves from the page and is recorded as the approver", async () => {
      await chromium.context.setExtraHTTPHeaders(iapAs("admin@example.com"));
      await page.goto(url);
      await expect(page.getByRole("contentinfo").textContent()).resolves.toContain(
        "for admin@example.com (IAP)",
      );
      await page.getByRole("button", { name: `Approve run ${HELD} and disable 1 users` }).click();
      await page.waitForURL(/\?approved=approval-1$/);
      await expect(page.getByRole("status").textContent()).resolves.toBe(
        `Approved: run approval-1 applied the changes held in run ${HELD} (approved by admin@example.com (IAP) on the status page (approval-1)).`,
      );
      expect(approvals).toEqual([[HELD, "admin@example.com (IAP)"]]);
      await screenshot(page, "cloud-approved");
    });
  },
);
