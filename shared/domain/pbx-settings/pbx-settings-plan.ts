/**
 * What gw3cx sets on the PBX itself (system mail, 3CX's own reCAPTCHA, Google sign-in), as a plan
 * of field changes read against what the PBX holds now. Field names are the XAPI's, so a plan
 * reads the same as the 3CX admin console and the API.
 */

export type PbxSettingArea = "mail" | "recaptcha" | "signIn";
export type PbxSettingResource = "MailSettings" | "GoogleSettings";

export type PbxSettingReason =
  | "AS_WANTED"
  | "PBX_DEFAULT"
  | "EXISTING_KEPT"
  | "EXISTING_REPLACED"
  | "TURNED_ON"
  | "ON_AT_PBX_KEPT"
  | "TURNED_OFF";

export const PBX_SETTING_REASON_TEXT: Readonly<Record<PbxSettingReason, string>> = {
  AS_WANTED: "already as gw3cx wants it",
  PBX_DEFAULT: "the PBX has its factory value; gw3cx configures it",
  EXISTING_KEPT: "an administrator configured something else; kept (--replace replaces it)",
  EXISTING_REPLACED: "an existing configuration is replaced (--replace)",
  TURNED_ON: "switched on by the settings",
  ON_AT_PBX_KEPT: "on at the PBX but off in the settings; left on (--replace switches it off)",
  TURNED_OFF: "on at the PBX but off in the settings; switched off (--replace)",
};

/** One field: what the PBX holds, what gw3cx wants, and whether a write happens. */
export interface PbxSettingItem {
  area: PbxSettingArea;
  resource: PbxSettingResource;
  field: string;
  /** As the PBX shows it; secrets only as "(set)" or null. */
  current: string | boolean | null;
  /** Secrets only as "(from SETTING)". */
  desired: string | boolean | null;
  /** Whether applying the plan writes this field. */
  write: boolean;
  reason: PbxSettingReason;
}

export type PbxSettingProblemCode =
  | "MAIL_SERVER_TYPE_LOCKED"
  | "MAIL_SENDER_MISSING"
  | "SIGN_IN_CLIENT_MISSING"
  | "SIGN_IN_SECRET_MISSING";

/** Something that keeps part of the plan from being applied, with what to do about it. */
export interface PbxSettingProblem {
  area: PbxSettingArea;
  code: PbxSettingProblemCode;
  message: string;
}

export interface PbxSettingsPlan {
  items: PbxSettingItem[];
  problems: PbxSettingProblem[];
}

/** The fields applying the plan writes, by resource. */
export function writesOf(plan: PbxSettingsPlan, resource: PbxSettingResource): PbxSettingItem[] {
  return plan.items.filter((item) => item.resource === resource && item.write);
}
