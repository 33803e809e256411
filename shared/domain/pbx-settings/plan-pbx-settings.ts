import type {
  PbxSettingArea,
  PbxSettingItem,
  PbxSettingProblem,
  PbxSettingReason,
  PbxSettingsPlan,
} from "./pbx-settings-plan.js";

/** MailSettings as read from the PBX (the password only as whether one is set). */
export interface PbxMailView {
  MailServerType: string | null;
  MailServer: string | null;
  MailAddress: string | null;
  MailUser: string | null;
  MailSslEnabled: boolean | null;
  hasPassword: boolean;
  /** False: the PBX does not let its mail server type be changed. */
  CanEditMailServerType: boolean | null;
}

/** The GoogleSettings fields gw3cx reads (the client secret only as whether one is set). */
export interface PbxGoogleView {
  ClientId: string | null;
  hasClientSecret: boolean;
  IsExtensionSignInEnabled: boolean | null;
  ReCaptchaEnabled: boolean | null;
}

export interface PbxSettingsWanted {
  /**
   * System mail through Workspace's SMTP relay: the PBX sends as `address` through `server`, with
   * no user or password (the relay admits the PBX by its IP address). Undefined: mail is left alone.
   */
  mail?: { server: string; address?: string };
  recaptcha: boolean;
  signIn: {
    enabled: boolean;
    /** The OAuth client made by hand in the Cloud console, if the settings name one. */
    clientId?: string;
    /** Whether the settings hold its secret (its value never enters a plan). */
    hasClientSecret: boolean;
  };
  /** Replace what an administrator configured differently (`--replace`). */
  replace: boolean;
}

/** The XAPI's factory mail server type: 3CX's own relay. */
const PBX_DEFAULT_MAIL_SERVER_TYPE = "Tcx";
export const SIGN_IN_SECRET_SETTING = "google.signInClientSecret";

const sameText = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? "").trim().toLowerCase() === (b ?? "").trim().toLowerCase();

/**
 * Decides what gw3cx writes to the PBX's settings. Pure. An administrator's own configuration
 * is reported and kept unless `replace`; a switch off in the settings never switches the PBX's
 * off unless `replace`; nothing is half-written (a problem stops its whole area).
 */
export function planPbxSettings(
  current: { mail: PbxMailView; google: PbxGoogleView },
  wanted: PbxSettingsWanted,
): PbxSettingsPlan {
  const items: PbxSettingItem[] = [];
  const problems: PbxSettingProblem[] = [];
  if (wanted.mail) planMail(current.mail, wanted.mail, wanted.replace, items, problems);
  planSwitch(
    items,
    "recaptcha",
    "ReCaptchaEnabled",
    current.google.ReCaptchaEnabled,
    wanted.recaptcha,
    wanted.replace,
  );
  planSignIn(current.google, wanted, items, problems);
  return { items, problems };
}

function planMail(
  mail: PbxMailView,
  wanted: NonNullable<PbxSettingsWanted["mail"]>,
  replace: boolean,
  items: PbxSettingItem[],
  problems: PbxSettingProblem[],
): void {
  if (!wanted.address) {
    problems.push({
      area: "mail",
      code: "MAIL_SENDER_MISSING",
      message: "no address for 3CX to send as: set mail.pbxSender (or google.mailSender)",
    });
    return;
  }
  const fields: Array<[string, string | boolean | null, string | boolean | null]> = [
    ["MailServerType", mail.MailServerType, "Custom"],
    ["MailServer", mail.MailServer, wanted.server],
    ["MailAddress", mail.MailAddress, wanted.address],
    // The relay admits the PBX by its address: no account, so none may be left over.
    ["MailUser", mail.MailUser, null],
    ...(mail.hasPassword ? [["MailPassword", "(set)", null] as [string, string, null]] : []),
    ["MailSslEnabled", mail.MailSslEnabled, true],
  ];
  // Server type, server and sender are what makes a mail setup; the rest an administrator may tune.
  const isOurs =
    mail.MailServerType === "Custom" &&
    sameText(mail.MailServer, wanted.server) &&
    sameText(mail.MailAddress, wanted.address);
  const isDefault = (mail.MailServerType ?? PBX_DEFAULT_MAIL_SERVER_TYPE) === PBX_DEFAULT_MAIL_SERVER_TYPE;
  const reason: PbxSettingReason = isOurs
    ? "AS_WANTED"
    : isDefault
      ? "PBX_DEFAULT"
      : replace
        ? "EXISTING_REPLACED"
        : "EXISTING_KEPT";
  let write = reason === "PBX_DEFAULT" || reason === "EXISTING_REPLACED";
  if (write && mail.CanEditMailServerType === false && mail.MailServerType !== "Custom") {
    write = false;
    problems.push({
      area: "mail",
      code: "MAIL_SERVER_TYPE_LOCKED",
      message: `the PBX does not allow its mail server type (${mail.MailServerType}) to be changed (CanEditMailServerType is false)`,
    });
  }
  for (const [field, current, desired] of fields) {
    items.push({ area: "mail", resource: "MailSettings", field, current, desired, write, reason });
  }
}

function planSwitch(
  items: PbxSettingItem[],
  area: PbxSettingArea,
  field: "ReCaptchaEnabled" | "IsExtensionSignInEnabled",
  now: boolean | null,
  want: boolean,
  replace: boolean,
  blocked = false,
): void {
  const on = now === true;
  const reason: PbxSettingReason =
    on === want ? "AS_WANTED" : want ? "TURNED_ON" : replace ? "TURNED_OFF" : "ON_AT_PBX_KEPT";
  items.push({
    area,
    resource: "GoogleSettings",
    field,
    current: now,
    desired: on && !want && !replace ? true : want,
    write: !blocked && (reason === "TURNED_ON" || reason === "TURNED_OFF"),
    reason,
  });
}

function planSignIn(
  google: PbxGoogleView,
  wanted: PbxSettingsWanted,
  items: PbxSettingItem[],
  problems: PbxSettingProblem[],
): void {
  const { signIn, replace } = wanted;
  let blocked = false;
  if (signIn.enabled) {
    const push = (
      field: string,
      current: string | null,
      desired: string | null,
      write: boolean,
      reason: PbxSettingReason,
    ) => items.push({ area: "signIn", resource: "GoogleSettings", field, current, desired, write, reason });
    const secretShown = google.hasClientSecret ? "(set)" : null;
    const secretWanted = `(from ${SIGN_IN_SECRET_SETTING})`;
    if (!signIn.clientId) {
      // No client in the settings: the PBX's own, if it has a complete one, serves.
      if (!google.ClientId || !google.hasClientSecret) {
        blocked = true;
        problems.push({
          area: "signIn",
          code: "SIGN_IN_CLIENT_MISSING",
          message:
            "sso is on but neither the PBX nor the settings have an OAuth client: create it in the Cloud console (README: Google sign-in) and set google.signInClientId and google.signInClientSecret",
        });
      }
    } else if (sameText(google.ClientId, signIn.clientId)) {
      push("ClientId", google.ClientId, signIn.clientId, false, "AS_WANTED");
      if (!google.hasClientSecret) {
        if (signIn.hasClientSecret) push("ClientSecret", null, secretWanted, true, "PBX_DEFAULT");
        else blocked = secretMissing(problems);
      }
    } else if (google.ClientId && !replace) {
      // Another client is configured: kept, and used if it is complete.
      push("ClientId", google.ClientId, signIn.clientId, false, "EXISTING_KEPT");
      blocked = !google.hasClientSecret;
      if (blocked) secretMissing(problems);
    } else if (!signIn.hasClientSecret) {
      blocked = secretMissing(problems);
    } else {
      const reason = google.ClientId ? "EXISTING_REPLACED" : "PBX_DEFAULT";
      push("ClientId", google.ClientId, signIn.clientId, true, reason);
      push("ClientSecret", secretShown, secretWanted, true, reason);
    }
  }
  planSwitch(
    items,
    "signIn",
    "IsExtensionSignInEnabled",
    google.IsExtensionSignInEnabled,
    signIn.enabled,
    replace,
    blocked,
  );
}

function secretMissing(problems: PbxSettingProblem[]): true {
  problems.push({
    area: "signIn",
    code: "SIGN_IN_SECRET_MISSING",
    message: `sso is on but the OAuth client's secret is neither at the PBX nor in the settings: set ${SIGN_IN_SECRET_SETTING}`,
  });
  return true;
}
