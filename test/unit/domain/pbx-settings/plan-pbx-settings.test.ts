import { describe, expect, it } from "vitest";
import {
  type PbxGoogleView,
  type PbxMailView,
  type PbxSettingsWanted,
  planPbxSettings,
} from "../../../../shared/domain/pbx-settings/plan-pbx-settings.js";

const factoryMail: PbxMailView = {
  MailServerType: "Tcx",
  MailServer: null,
  MailAddress: null,
  MailUser: null,
  MailSslEnabled: true,
  hasPassword: false,
  CanEditMailServerType: true,
};
const factoryGoogle: PbxGoogleView = {
  ClientId: null,
  hasClientSecret: false,
  IsExtensionSignInEnabled: false,
  ReCaptchaEnabled: false,
};
const wanted = (over: Partial<PbxSettingsWanted> = {}): PbxSettingsWanted => ({
  mail: { server: "smtp-relay.gmail.com:587", address: "pbx@example.com" },
  recaptcha: false,
  signIn: { enabled: false, hasClientSecret: false },
  replace: false,
  ...over,
});
const plan = (mail: Partial<PbxMailView>, google: Partial<PbxGoogleView>, w: PbxSettingsWanted) =>
  planPbxSettings({ mail: { ...factoryMail, ...mail }, google: { ...factoryGoogle, ...google } }, w);
const writes = (p: ReturnType<typeof plan>) =>
  Object.fromEntries(p.items.filter((i) => i.write).map((i) => [i.field, i.desired]));

describe("planPbxSettings: mail", () => {
  it("configures the relay over the PBX's factory mail, with no account left", () => {
    const p = plan({ MailUser: "old", hasPassword: true }, {}, wanted());
    expect(writes(p)).toEqual({
      MailServerType: "Custom",
      MailServer: "smtp-relay.gmail.com:587",
      MailAddress: "pbx@example.com",
      MailUser: null,
      MailPassword: null,
      MailSslEnabled: true,
    });
    expect(new Set(p.items.filter((i) => i.area === "mail").map((i) => i.reason))).toEqual(
      new Set(["PBX_DEFAULT"]),
    );
  });

  it("reports and keeps an administrator's own mail server unless replaced", () => {
    const existing = {
      MailServerType: "Custom",
      MailServer: "mail.example.net:25",
      MailAddress: "x@example.net",
    };
    const kept = plan(existing, {}, wanted());
    expect(writes(kept)).toEqual({});
    expect(kept.items.find((i) => i.field === "MailServer")).toMatchObject({
      current: "mail.example.net:25",
      desired: "smtp-relay.gmail.com:587",
      reason: "EXISTING_KEPT",
    });
    const replaced = plan(existing, {}, wanted({ replace: true }));
    expect(writes(replaced)).toMatchObject({ MailServer: "smtp-relay.gmail.com:587" });
    expect(replaced.items.every((i) => i.area !== "mail" || i.reason === "EXISTING_REPLACED")).toBe(true);
  });

  it("writes nothing when the relay is already configured (case and spacing aside)", () => {
    const p = plan(
      { MailServerType: "Custom", MailServer: "SMTP-relay.gmail.com:587 ", MailAddress: "PBX@example.com" },
      {},
      wanted(),
    );
    expect(writes(p)).toEqual({});
  });

  it("names the problem when the PBX locks its mail server type, and writes no mail field", () => {
    const p = plan({ CanEditMailServerType: false }, {}, wanted());
    expect(writes(p)).toEqual({});
    expect(p.problems.map((x) => x.code)).toEqual(["MAIL_SERVER_TYPE_LOCKED"]);
  });

  it("leaves mail alone when not asked to, and needs a sender when asked", () => {
    expect(plan({}, {}, wanted({ mail: undefined })).items.some((i) => i.area === "mail")).toBe(false);
    const p = plan({}, {}, wanted({ mail: { server: "smtp-relay.gmail.com:587" } }));
    expect(p.problems.map((x) => x.code)).toEqual(["MAIL_SENDER_MISSING"]);
  });
});

describe("planPbxSettings: reCAPTCHA switch", () => {
  it("switches it on; one on at the PBX stays on unless replaced", () => {
    expect(writes(plan({}, {}, wanted({ recaptcha: true, mail: undefined })))).toEqual({
      ReCaptchaEnabled: true,
    });
    const kept = plan({}, { ReCaptchaEnabled: true }, wanted({ mail: undefined }));
    expect(writes(kept)).toEqual({});
    expect(kept.items[0]?.reason).toBe("ON_AT_PBX_KEPT");
    expect(writes(plan({}, { ReCaptchaEnabled: true }, wanted({ mail: undefined, replace: true })))).toEqual({
      ReCaptchaEnabled: false,
    });
  });
});

describe("planPbxSettings: Google sign-in", () => {
  const signIn = (over: Partial<PbxSettingsWanted["signIn"]> = {}) =>
    wanted({
      mail: undefined,
      signIn: { enabled: true, hasClientSecret: true, clientId: "c1.apps", ...over },
    });

  it("sets the OAuth client and the switch on a PBX without one", () => {
    expect(writes(plan({}, {}, signIn()))).toEqual({
      ClientId: "c1.apps",
      ClientSecret: "(from google.signInClientSecret)",
      IsExtensionSignInEnabled: true,
    });
  });

  it("keeps a different client the PBX has, and uses it when it is complete", () => {
    const p = plan({}, { ClientId: "other.apps", hasClientSecret: true }, signIn());
    expect(writes(p)).toEqual({ IsExtensionSignInEnabled: true });
    expect(p.items.find((i) => i.field === "ClientId")?.reason).toBe("EXISTING_KEPT");
  });

  it("does not switch sign-in on without a complete client, and says what to set", () => {
    const none = plan({}, {}, signIn({ clientId: undefined, hasClientSecret: false }));
    expect(writes(none)).toEqual({});
    expect(none.problems.map((x) => x.code)).toEqual(["SIGN_IN_CLIENT_MISSING"]);
    const noSecret = plan({}, {}, signIn({ hasClientSecret: false }));
    expect(writes(noSecret)).toEqual({});
    expect(noSecret.problems.map((x) => x.code)).toEqual(["SIGN_IN_SECRET_MISSING"]);
  });

  it("a PBX that already holds the same client gets only the switch", () => {
    const p = plan({}, { ClientId: "c1.apps", hasClientSecret: true }, signIn());
    expect(writes(p)).toEqual({ IsExtensionSignInEnabled: true });
    expect(p.items.find((i) => i.field === "ClientId")).toMatchObject({ write: false, reason: "AS_WANTED" });
  });
});
