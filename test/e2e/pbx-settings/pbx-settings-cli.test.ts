import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { PbxSettingsPlan } from "../../../shared/domain/pbx-settings/pbx-settings-plan.js";
import { demoThreeCxSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

const SIGN_IN_SECRET = "oauth-client-secret-value";
const wanted = {
  mail: { configurePbx: true },
  recaptcha: { enabled: true, domains: ["pbx.example.com"] },
  sso: true,
  google: { signInClientId: "1234-abc.apps.googleusercontent.com", signInClientSecret: "env:SIGN_IN_SECRET" },
};

let sims: DemoSimulators | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sims = undefined;
});

/** The CLI on fresh simulators, with these settings over the demo's and the 3CX seed's settings. */
async function setUp(pbxSettings: ThreeCxSeed["settings"] = {}) {
  sims = await startDemoSimulators({ threecx: { ...demoThreeCxSeed(), settings: pbxSettings } });
  const google = { ...(sims.settings.google as object), ...wanted.google };
  const cli = cliSettingsFor({ ...sims, settings: { ...sims.settings, ...wanted, google } }, "gw3cx-pbx-");
  dir = cli.dir;
  const env = { ...cli.env, SIGN_IN_SECRET };
  const state = sims.threecx.state;
  return {
    run: (...args: string[]) => runCli(["pbx-settings", ...args], env),
    mail: () => state.settings.MailSettings,
    google: () => state.settings.GoogleSettings,
    writes: () =>
      (sims?.threecx.stats.requests.UpdateMailSettings ?? 0) +
      (sims?.threecx.stats.requests.UpdateGoogleSettings ?? 0),
  };
}

const parse = (stdout: string) => JSON.parse(stdout) as PbxSettingsPlan & { applied: { field: string }[] };

describe("gw3cx pbx-settings against the 3CX simulator", () => {
  it("plan lists mail, reCAPTCHA and sign-in for a factory PBX and writes nothing; apply sets them", async () => {
    const pbx = await setUp();
    const planned = await pbx.run("plan", "--json");
    expect(planned.code).toBe(0);
    const plan = parse(planned.stdout);
    expect(plan.problems).toEqual([]);
    expect(plan.items.filter((i) => i.write).map((i) => i.field)).toEqual([
      "MailServerType",
      "MailServer",
      "MailAddress",
      "MailUser",
      "MailSslEnabled",
      "ReCaptchaEnabled",
      "ClientId",
      "ClientSecret",
      "IsExtensionSignInEnabled",
    ]);
    expect(planned.stdout).not.toContain(SIGN_IN_SECRET);
    expect(pbx.writes()).toBe(0);

    const applied = await pbx.run("apply");
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("9 settings written");
    expect(applied.stdout).not.toContain(SIGN_IN_SECRET);
    expect(pbx.mail()).toMatchObject({
      MailServerType: "Custom",
      MailServer: "smtp-relay.gmail.com:587",
      MailAddress: "admin@example.com",
      MailSslEnabled: true,
    });
    expect(pbx.google()).toMatchObject({
      ReCaptchaEnabled: true,
      IsExtensionSignInEnabled: true,
      ClientId: wanted.google.signInClientId,
      ClientSecret: { Value: SIGN_IN_SECRET },
    });

    const again = parse((await pbx.run("plan", "--json")).stdout);
    expect(again.items.filter((i) => i.write)).toEqual([]);
  });

  it("keeps an administrator's own mail server and switches, and replaces them only with --replace", async () => {
    const pbx = await setUp({
      MailSettings: {
        MailServerType: "Custom",
        MailServer: "mail.example.net:25",
        MailAddress: "pbx@example.net",
      },
      GoogleSettings: {
        ClientId: "admins-own.apps.googleusercontent.com",
        ClientSecret: { Value: "theirs" },
      },
    });
    const kept = await pbx.run("apply", "--json");
    expect(kept.code).toBe(0);
    const keptPlan = parse(kept.stdout);
    expect(keptPlan.items.find((i) => i.field === "MailServer")).toMatchObject({
      current: "mail.example.net:25",
      write: false,
      reason: "EXISTING_KEPT",
    });
    expect(keptPlan.items.find((i) => i.field === "ClientId")).toMatchObject({
      write: false,
      reason: "EXISTING_KEPT",
    });
    expect(pbx.mail()).toMatchObject({ MailServer: "mail.example.net:25", MailAddress: "pbx@example.net" });
    // Their client is complete, so sign-in is switched on with it.
    expect(pbx.google()).toMatchObject({
      ClientId: "admins-own.apps.googleusercontent.com",
      IsExtensionSignInEnabled: true,
    });

    const text = await pbx.run("plan");
    expect(text.stdout).toMatch(/MailSettings\.MailServer.*mail\.example\.net:25/);
    expect(text.stdout).toContain("kept (--replace replaces it)");

    const replaced = await pbx.run("apply", "--replace");
    expect(replaced.code).toBe(0);
    expect(pbx.mail()).toMatchObject({ MailServerType: "Custom", MailServer: "smtp-relay.gmail.com:587" });
    expect(pbx.google()).toMatchObject({
      ClientId: wanted.google.signInClientId,
      ClientSecret: { Value: SIGN_IN_SECRET },
    });
  });

  it("apply exits 1 naming the problem when the PBX locks its mail server type, and applies the rest", async () => {
    const pbx = await setUp({ MailSettings: { CanEditMailServerType: false } });
    const result = await pbx.run("apply");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("MAIL_SERVER_TYPE_LOCKED");
    expect(pbx.mail()).toMatchObject({ MailServerType: "Tcx" });
    expect(pbx.google()).toMatchObject({ ReCaptchaEnabled: true, IsExtensionSignInEnabled: true });
  });
});
