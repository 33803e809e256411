import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import type { SetupGuide } from "../../../shared/cli/setup/setup-guide.js";
import { demoThreeCxSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

const REDIRECT = "https://pbx.example.com/api/oauth2/google/callback";

let sims: DemoSimulators | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("gw3cx setup", () => {
  it("prints the client ids from the outputs, the scopes the features need and the PBX's redirect URI", async () => {
    sims = await startDemoSimulators({
      threecx: { ...demoThreeCxSeed(), settings: { GoogleSettings: { ProvisionUrl: REDIRECT } } },
    });
    const features = {
      calendarPresence: true,
      syncPersonalContacts: false,
      sso: true,
      mail: { configurePbx: true },
      gcp: { projectId: "acme-gw3cx" },
    };
    const cli = cliSettingsFor({ ...sims, settings: { ...sims.settings, ...features } }, "gw3cx-setup-");
    dir = cli.dir;
    const outputs = join(cli.dir, "outputs.json");
    writeFileSync(
      outputs,
      JSON.stringify({
        delegation_client_ids: {
          value: [
            { account: "gw3cx-user-sync@acme-gw3cx.iam.gserviceaccount.com", clientId: "1001" },
            { account: "gw3cx-presence-worker@acme-gw3cx.iam.gserviceaccount.com", clientId: "1003" },
          ],
        },
      }),
    );

    const json = await runCli(["setup", "--json", "--outputs", outputs], cli.env);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const guide = JSON.parse(json.stdout) as SetupGuide;
    const scopes = [...SCOPES.directoryUsers, ...SCOPES.calendarEvents].join(",");
    expect(guide.delegation.scopesLine).toBe(scopes);
    expect(guide.delegation.clients.map((c) => c.clientId)).toEqual(["1001", "1003"]);
    expect(guide.sections.map((s) => s.id)).toEqual([
      "delegation",
      "threecx-api-client",
      "cloud",
      "smtp-relay",
      "google-sign-in",
      "next",
    ]);
    expect(guide.sections.find((s) => s.id === "google-sign-in")?.steps.join("\n")).toContain(
      `Authorized redirect URIs: ${REDIRECT}`,
    );
    // A deployment (gcp.projectId set): the next steps read the cloud's state and outputs.
    expect(guide.sections.find((s) => s.id === "next")?.steps[0]).toContain(
      "gw3cx doctor --state firestore --outputs outputs.json",
    );
    // The operator's own step: signing as the account the CLI delegates as.
    expect(guide.sections.find((s) => s.id === "cloud")?.steps.join("\n")).toContain(
      `gcloud iam service-accounts add-iam-policy-binding ${(sims.settings.google as { serviceAccountEmail: string }).serviceAccountEmail} --member user:YOUR_EMAIL --role roles/iam.serviceAccountTokenCreator`,
    );

    const text = await runCli(["setup", "--outputs", outputs], cli.env);
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    // The scopes stand on a line of their own, ready to paste.
    expect(lines).toContain(scopes);
    expect(lines).toContain(`  1. ${guide.sections[0]?.steps[0]}`);
    expect(text.stdout).toContain(
      `Client ID 1003 (gw3cx-presence-worker@acme-gw3cx.iam.gserviceaccount.com); OAuth scopes: ${scopes}`,
    );
    expect(text.stdout).not.toContain("local-simulator-secret");
  });

  it("works before anything is configured, with the defaults' steps", async () => {
    const result = await runCli(["setup"], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GW3CX_STATE_DB: "/nonexistent/state.db",
    });
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toContain(SCOPES.directoryUsers[0]);
    expect(result.stdout).toContain("gcloud iam service-accounts describe SERVICE_ACCOUNT_EMAIL");
  });
});
