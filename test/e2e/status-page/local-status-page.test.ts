import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocal } from "../../../shared/cli/start-local.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { SyncRunStore } from "../../../shared/usecases/user-sync/sync-run-store.js";
import {
  axeViolations,
  chromiumMissing,
  type HeadlessChromium,
  launchChromium,
  screenshot,
} from "../../support/browser/chromium.js";
import { capturedLogger } from "../../support/captured-logger.js";
import { eventually } from "../../support/stand-ins.js";
import { cliEnv, runCli } from "../cli/run-cli.js";

interface PbxUser {
  EmailAddress: string;
  Number: string;
  Enabled: boolean;
}

/**
 * The local status page of `npm start` (demo organisation on the simulators) in real headless
 * Chromium: what it shows, approving a held run from it, a cross-site approval refused, and axe.
 */
describe.skipIf(chromiumMissing !== "")(
  `local status page in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ""}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), "gw3cx-status-page-"));
    let stack: LocalStack;
    let chromium: HeadlessChromium;
    let page: Page;
    let heldRunId: string;
    let victims: string[];

    const pbxUsers = async (): Promise<PbxUser[]> =>
      ((await (await fetch(`${stack.simulators?.threecxUrl}/_sim/state`)).json()) as { users: PbxUser[] })
        .users;
    const simAdmin = (path: string, method: string, body: unknown) =>
      fetch(`${stack.simulators?.googleUrl}/_sim/${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    beforeAll(async () => {
      stack = await startLocal({
        env: { ...process.env, GW3CX_STATE_DB: join(dir, "state.db") },
        logger: capturedLogger("status-page-test", "error").logger,
      });
      chromium = await launchChromium();
      page = await chromium.context.newPage();

      // A nightly run that would disable more users than the safeguard allows: their notifications
      // were lost (as they can be), so only the full run sees the suspensions, and holds them.
      expect((await simAdmin("notification-faults", "POST", { kind: "drop", times: 1000 })).ok).toBe(true);
      victims = (await pbxUsers())
        .filter((u) => u.Enabled && Number(u.Number) > 1001 && u.EmailAddress !== "admin@example.com")
        .slice(0, 7)
        .map((u) => u.EmailAddress);
      for (const email of victims)
        expect((await simAdmin(`users/${email}`, "PATCH", { suspended: true })).ok).toBe(true);
      const held = await syncAllUsers(stack.runtime.userSync, stack.runtime.config, { trigger: "daily" });
      expect(held.run.status).toBe("held");
      heldRunId = held.run.runId;

      // A malformed change: the worker dead-letters it with its reason, the local hold records it.
      await stack.runtime.userSync.bus.publish(TOPICS.directoryChanges, {
        googleUserId: "",
        event: "update",
      });
      await eventually(
        async () => (await fetch(`${stack.host.url}/status.json`)).json() as Promise<Gw3cxStatus>,
        (s) => "topics" in s.deadLetters && s.deadLetters.topics.some((t) => t.count > 0),
        10_000,
      );
    }, 120_000);

    afterAll(async () => {
      await chromium?.close();
      await stack?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("renders the demo's state: mode, PBX, held run with its users, runs, channels, dead letters", async () => {
      const response = await page.goto(stack.host.url);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
      await expect(page.title()).resolves.toBe("gw3cx status (1 held)");
      const banner = page.getByRole("banner");
      await expect(banner.textContent()).resolves.toContain("bundled simulators");
      await expect(banner.textContent()).resolves.toContain(stack.simulators?.threecxUrl as string);
      await expect(banner.textContent()).resolves.toMatch(/\b48 3CX users managed/);

      const held = page.getByRole("region", { name: "Held runs (1)" });
      for (const email of victims) await expect(held.textContent()).resolves.toContain(email);
      await expect(
        held.getByRole("button", { name: `Approve run ${heldRunId} and disable 7 users` }).count(),
      ).resolves.toBe(1);

      const lastRuns = await page.getByRole("region", { name: "Last run of each kind" }).textContent();
      expect(lastRuns).toMatch(/daily\s*held/);
      expect(lastRuns).toMatch(/manual\s*applied/);
      const channels = await page.getByRole("region", { name: "Directory watch channels" }).textContent();
      for (const event of ["add", "update", "delete", "undelete"]) expect(channels).toContain(event);
      expect(channels).toMatch(/\(in \d+ (d|h)\)/);
      const nightly = await page.getByRole("region", { name: "Next nightly run" }).textContent();
      expect(nightly).toMatch(/\(in \d+ (h|min|s)\)/);
      const deadLetters = await page.getByRole("region", { name: "Dead letters" }).textContent();
      expect(deadLetters).toContain('googleUserId = ""');

      // The page and the JSON twin are one model.
      const json = (await (await fetch(`${stack.host.url}/status.json`)).json()) as Gw3cxStatus;
      expect(json.held.map((r) => r.runId)).toEqual([heldRunId]);
      expect(json.mode).toBe("simulators");
      await screenshot(page, "local-desktop");
    });

    it("`gw3cx status --json` in a second terminal prints the same model /status.json serves", async () => {
      const [cli, served] = await Promise.all([
        runCli(["status", "--json"], cliEnv({ GW3CX_STATE_DB: join(dir, "state.db") })),
        fetch(`${stack.host.url}/status.json`).then((r) => r.json() as Promise<Gw3cxStatus>),
      ]);
      expect(cli.code).toBe(0);
      // Times move between the two reads (relative times, a running run's duration); what they say does not.
      const stable = (s: Gw3cxStatus) => ({
        keys: Object.keys(s).sort(),
        where: [s.mode, s.pbxUrl, s.timeZone, s.host, s.managedUsers, s.nextNightlyRun.time.at],
        held: s.held.map((r) => [r.runId, r.heldDisables?.length]),
        runs: s.runs.map((r) => [r.runId, r.status]),
        channels: s.channels.map((c) => c.channelId),
        deadLetters:
          "topics" in s.deadLetters ? s.deadLetters.topics.map((t) => [t.topic, t.count]) : s.deadLetters,
      });
      expect(stable(JSON.parse(cli.stdout) as Gw3cxStatus)).toEqual(stable(served));
    });

    it("answers only to its loopback names: a rebinding page whose name resolves to 127.0.0.1 is refused", async () => {
      const port = new URL(stack.host.url).port;
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = httpRequest(
          { host: "127.0.0.1", port, path: "/status.json", headers: { host: `rebind.example:${port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        );
        req.once("error", reject);
        req.end();
      });
      expect(status).toBe(403);
    });

    it("axe-core finds no accessibility violations, on a desktop and on a phone", async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(stack.host.url);
      expect(await axeViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 375, height: 740 });
      await page.goto(stack.host.url);
      expect(await axeViolations(page)).toEqual([]);
      // Readable on a phone: the page itself never scrolls sideways (wide tables scroll in their box).
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - window.innerWidth",
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, "local-phone");
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    it("a form on another site posting an approval is refused and the run stays held", async () => {
      const evil: Server = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/html" }).end(
          `<!doctype html><html lang="en"><title>x</title><body><form method="post" action="${stack.host.url}/approve">
<input name="runId" value="${heldRunId}"></form><script>document.forms[0].submit()</script></body></html>`,
        );
      });
      await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
      try {
        // "localhost" is another origin than the page's 127.0.0.1, as any other site would be.
        const answer = page.waitForResponse((r) => r.url().endsWith("/approve"));
        await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
        expect((await answer).status()).toBe(403);
      } finally {
        evil.close();
      }
      expect((await new SyncRunStore(stack.runtime.userSync.state).get(heldRunId))?.status).toBe("held");
    });

    it("approving from the page applies the held disables and records the approver", async () => {
      await page.goto(stack.host.url);
      const answer = page.waitForResponse((r) => r.url().endsWith("/approve"), { timeout: 30_000 });
      await page.getByRole("button", { name: `Approve run ${heldRunId} and disable 7 users` }).click();
      expect((await answer).status()).toBe(303);
      await page.waitForURL(/\?approved=/);
      await expect(page.getByRole("status").textContent()).resolves.toMatch(
        new RegExp(
          `^Approved: run \\S+ applied the changes held in run ${heldRunId} \\(approved by local admin \\(loopback\\)`,
        ),
      );
      await expect(page.getByRole("region", { name: "Held runs (0)" }).count()).resolves.toBe(1);

      const stored = await new SyncRunStore(stack.runtime.userSync.state).get(heldRunId);
      expect(stored).toMatchObject({ status: "approved" });
      expect(stored?.approvedBy).toMatch(/^local admin \(loopback\) on the status page \(/);
      const users = await pbxUsers();
      for (const email of victims) expect(users.find((u) => u.EmailAddress === email)?.Enabled).toBe(false);
      await screenshot(page, "local-approved");
    });
  },
);
