import {
  PBX_SETTING_REASON_TEXT,
  type PbxSettingsPlan,
} from "../../domain/pbx-settings/pbx-settings-plan.js";
import { renderSettingWrites } from "./settings-write-table.js";

/** The plan as a table per area, then the problems with what to do. */
export function renderPbxSettingsPlan(plan: PbxSettingsPlan): string {
  const sections = (["mail", "recaptcha", "signIn"] as const)
    .map((area) => {
      const items = plan.items.filter((item) => item.area === area);
      if (items.length === 0) return `${AREA_TITLE[area]}: not configured by gw3cx`;
      return renderSettingWrites(AREA_TITLE[area], items, PBX_SETTING_REASON_TEXT);
    })
    .join("\n\n");
  const problems = plan.problems.map((problem) => `  ${problem.code}: ${problem.message}`);
  return problems.length === 0 ? sections : `${sections}\n\nProblems (not applied):\n${problems.join("\n")}`;
}

const AREA_TITLE = {
  mail: "System mail (MailSettings)",
  recaptcha: "3CX reCAPTCHA (GoogleSettings)",
  signIn: "Google sign-in (GoogleSettings)",
} as const;
