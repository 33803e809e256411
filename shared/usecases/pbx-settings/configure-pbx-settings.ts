import {
  type PbxSettingItem,
  type PbxSettingsPlan,
  writesOf,
} from "../../domain/pbx-settings/pbx-settings-plan.js";
import {
  type PbxGoogleView,
  type PbxMailView,
  type PbxSettingsWanted,
  planPbxSettings,
} from "../../domain/pbx-settings/plan-pbx-settings.js";
import type { Logger } from "../../logging/logger.js";
import type { ThreeCx, ThreeCxGoogleSettings, ThreeCxMailSettings } from "../../ports/threecx.js";

export interface PbxSettingsPorts {
  threecx: Pick<ThreeCx, "getSettings" | "updateSettings">;
  logger: Logger;
}

export interface PbxSettingsConfig extends Omit<PbxSettingsWanted, "signIn" | "replace"> {
  signIn: { enabled: boolean; clientId?: string; clientSecret?: () => string };
}

export interface PbxSettingsOutcome {
  plan: PbxSettingsPlan;
  /** Fields written, by resource; empty for a plan. */
  applied: { resource: string; field: string }[];
}

/**
 * Reads MailSettings and GoogleSettings, plans what gw3cx sets there and, unless `dryRun`,
 * applies it: one PATCH per resource carrying only the fields the plan writes.
 */
export async function configurePbxSettings(
  ports: PbxSettingsPorts,
  config: PbxSettingsConfig,
  options: { dryRun: boolean; replace: boolean },
): Promise<PbxSettingsOutcome> {
  const [mail, google] = await Promise.all([
    ports.threecx.getSettings("MailSettings"),
    ports.threecx.getSettings("GoogleSettings"),
  ]);
  const plan = planPbxSettings(
    { mail: mailView(mail), google: googleView(google) },
    {
      mail: config.mail,
      recaptcha: config.recaptcha,
      signIn: {
        enabled: config.signIn.enabled,
        clientId: config.signIn.clientId,
        // The secret itself is read only when it is written.
        hasClientSecret: config.signIn.clientSecret !== undefined,
      },
      replace: options.replace,
    },
  );
  ports.logger.event("pbxSettingsPlanned", {
    writes: plan.items.filter((item) => item.write).map((item) => `${item.resource}.${item.field}`),
    problems: plan.problems.map((problem) => problem.code),
  });
  if (options.dryRun) return { plan, applied: [] };

  const applied: PbxSettingsOutcome["applied"] = [];
  const mailWrites = writesOf(plan, "MailSettings");
  if (mailWrites.length > 0) {
    await ports.threecx.updateSettings("MailSettings", mailPatch(mailWrites));
    applied.push(...mailWrites.map(({ resource, field }) => ({ resource, field })));
  }
  const googleWrites = writesOf(plan, "GoogleSettings");
  if (googleWrites.length > 0) {
    await ports.threecx.updateSettings(
      "GoogleSettings",
      googlePatch(googleWrites, config.signIn.clientSecret),
    );
    applied.push(...googleWrites.map(({ resource, field }) => ({ resource, field })));
  }
  if (applied.length > 0) ports.logger.event("pbxSettingsApplied", { fields: applied.map((a) => a.field) });
  return { plan, applied };
}

function mailView(mail: ThreeCxMailSettings): PbxMailView {
  return {
    MailServerType: mail.MailServerType ?? null,
    MailServer: mail.MailServer ?? null,
    MailAddress: mail.MailAddress ?? null,
    MailUser: mail.MailUser ?? null,
    MailSslEnabled: mail.MailSslEnabled ?? null,
    hasPassword: mail.MailPassword?.Concealed === true,
    CanEditMailServerType: mail.CanEditMailServerType ?? null,
  };
}

function googleView(google: ThreeCxGoogleSettings): PbxGoogleView {
  return {
    ClientId: google.ClientId ?? null,
    hasClientSecret: google.ClientSecret?.Concealed === true,
    IsExtensionSignInEnabled: google.IsExtensionSignInEnabled ?? null,
    ReCaptchaEnabled: google.ReCaptchaEnabled ?? null,
  };
}

function mailPatch(writes: PbxSettingItem[]): ThreeCxMailSettings {
  const patch: Record<string, unknown> = {};
  for (const { field, desired } of writes) {
    // A concealed password is cleared by an empty value; null would keep the stored one.
    patch[field] = field === "MailPassword" ? { Value: "" } : desired;
  }
  return patch as ThreeCxMailSettings;
}

function googlePatch(writes: PbxSettingItem[], secret: (() => string) | undefined): ThreeCxGoogleSettings {
  const patch: Record<string, unknown> = {};
  for (const { field, desired } of writes) {
    patch[field] = field === "ClientSecret" ? { Value: secret?.() } : desired;
  }
  return patch as ThreeCxGoogleSettings;
}
