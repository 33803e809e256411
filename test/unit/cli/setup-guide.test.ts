import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import { renderSetupGuide } from "../../../shared/cli/render/setup-guide.js";
import { readDeploymentOutputs } from "../../../shared/cli/setup/deployment-outputs.js";
import { type SetupGuide, setupGuide } from "../../../shared/cli/setup/setup-guide.js";
import { loadSettings } from "../../../shared/config/load-settings.js";

const settings = (base: Record<string, unknown> = {}) =>
  loadSettings({ env: {}, base: { gcp: { projectId: "acme-gw3cx" }, ...base } });
const section = (guide: SetupGuide, id: string) => guide.sections.find((s) => s.id === id);
const [DIRECTORY] = SCOPES.directoryUsers;
const [GROUPS] = SCOPES.directoryGroupMembers;
const [CALENDAR] = SCOPES.calendarEvents;
const [CONTACTS] = SCOPES.contacts;
const [GMAIL] = SCOPES.gmailSend;

describe("gw3cx setup: scopes per feature", () => {
  it("user sync alone needs the Directory users scope only", () => {
    const guide = setupGuide(settings());
    expect(guide.delegation.scopesLine).toBe(DIRECTORY);
    expect(guide.features).toEqual(["user sync"]);
  });

  it.each([
    [{ calendarPresence: true }, [DIRECTORY, CALENDAR]],
    [{ syncPersonalContacts: true }, [DIRECTORY, CONTACTS]],
    [{ syncType: "selectedGroups", selectedGroups: ["sales@example.com"] }, [DIRECTORY, GROUPS]],
    [{ safeguard: { adminEmail: "it@example.com" } }, [DIRECTORY, GMAIL]],
    [{ transcription: { mailVoicemails: true } }, [DIRECTORY, GMAIL]],
    [
      {
        calendarPresence: true,
        syncPersonalContacts: true,
        syncType: "selectedGroups",
        selectedGroups: ["sales@example.com"],
        safeguard: { adminEmail: "it@example.com" },
      },
      [DIRECTORY, GROUPS, CALENDAR, CONTACTS, GMAIL],
    ],
  ])("%j needs %j, on one comma-separated line", (features, scopes) => {
    const guide = setupGuide(settings(features));
    expect(guide.delegation.scopes.map((s) => s.scope)).toEqual(scopes);
    expect(guide.delegation.scopesLine).toBe(scopes.join(","));
    expect(renderSetupGuide(guide).split("\n")).toContain(scopes.join(","));
  });
});

describe("gw3cx setup: steps per feature", () => {
  it("without outputs, says how to get the client ids; with them, lists each with the scopes", () => {
    const without = setupGuide(
      settings({ google: { serviceAccountEmail: "gw3cx@acme-gw3cx.iam.gserviceaccount.com" } }),
    );
    expect(without.delegation.clients).toEqual([]);
    expect(section(without, "delegation")?.steps.join("\n")).toContain(
      "gcloud iam service-accounts describe gw3cx@acme-gw3cx.iam.gserviceaccount.com --format='value(uniqueId)'",
    );

    const clients = [
      { account: "gw3cx-user-sync@acme-gw3cx.iam.gserviceaccount.com", clientId: "1001" },
      { account: "gw3cx-daily-sync@acme-gw3cx.iam.gserviceaccount.com", clientId: "1002" },
    ];
    const withOutputs = setupGuide(settings({ calendarPresence: true }), {
      outputs: { source: "outputs.json", delegatingAccounts: clients },
    });
    expect(withOutputs.delegation.clients).toEqual(clients);
    expect(section(withOutputs, "delegation")?.steps).toContain(
      `Client ID 1002 (gw3cx-daily-sync@acme-gw3cx.iam.gserviceaccount.com); OAuth scopes: ${DIRECTORY},${CALENDAR}; Authorize.`,
    );
  });

  it("the 3CX API client steps name the System Owner role and the exact gcloud command for infra's secret", () => {
    const steps = section(setupGuide(settings()), "threecx-api-client")?.steps.join("\n") ?? "";
    expect(steps).toContain("Role: System Owner");
    expect(steps).toContain(
      "printf '%s' 'API_KEY' | gcloud secrets versions add gw3cx-threecx-client-secret --data-file=- --project acme-gw3cx",
    );
  });

  it("the SMTP relay steps appear only with mail.configurePbx", () => {
    expect(section(setupGuide(settings()), "smtp-relay")).toBeUndefined();
    const steps = section(
      setupGuide(settings({ mail: { configurePbx: true, pbxSender: "pbx@example.com" } })),
      "smtp-relay",
    );
    expect(steps?.steps.join("\n")).toContain("Gmail > Routing > SMTP relay service");
    expect(steps?.steps.join("\n")).toContain(
      "3CX sends as pbx@example.com through smtp-relay.gmail.com:587",
    );
  });

  it("Google sign-in: the origin from threecx.url and the redirect URI the PBX reports", () => {
    const base = { sso: true, threecx: { url: "https://pbx.example.com:5001/" } };
    expect(section(setupGuide(settings()), "google-sign-in")).toBeUndefined();
    const known = section(
      setupGuide(settings(base), { provisionUrl: "https://pbx.example.com:5001/oauth/google" }),
      "google-sign-in",
    );
    expect(known?.steps).toContain("Authorized JavaScript origins: https://pbx.example.com:5001");
    expect(known?.steps.join("\n")).toContain(
      "Authorized redirect URIs: https://pbx.example.com:5001/oauth/google",
    );
    const unknown = section(setupGuide(settings(base)), "google-sign-in");
    expect(unknown?.steps.join("\n")).toContain(
      "the one the 3CX Admin console shows under Integrations > Google",
    );
  });
});

describe("reading the deployment's Terraform outputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-outputs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ids = [{ account: "gw3cx-user-sync@p.iam.gserviceaccount.com", clientId: "111" }];
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it.each([
    ["terraform output -json", { delegation_client_ids: { value: ids, type: ["list"], sensitive: false } }],
    ["a state file", { version: 4, outputs: { delegation_client_ids: { value: ids } } }],
    ["cdktf deploy --outputs-file", { gw3cx: { delegation_client_ids: ids } }],
  ])("reads %s", (shape, content) => {
    const outputs = readDeploymentOutputs(write(`${shape.replaceAll(" ", "-")}.json`, content));
    expect(outputs?.delegatingAccounts).toEqual(ids);
  });

  it("refuses a file without delegation_client_ids, naming the file", () => {
    const file = write("other.json", { something: { value: 1 } });
    expect(() => readDeploymentOutputs(file)).toThrow(/other\.json: no delegation_client_ids output/);
  });
});
