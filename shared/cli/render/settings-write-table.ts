import { renderSection } from "./table.js";

/** One 3CX setting a plan compares: what the PBX has, what gw3cx wants, whether it writes it and why. */
export interface SettingWriteRow<Reason extends string> {
  resource: string;
  field: string;
  current: string | number | boolean | null;
  desired: string | number | boolean | null;
  write: boolean;
  reason: Reason;
}

const shown = (value: SettingWriteRow<string>["current"]) => (value === null ? "-" : String(value));

/** A settings plan's table (pbx-settings, storage): setting, now, gw3cx, write, why. */
export function renderSettingWrites<Reason extends string>(
  title: string,
  items: readonly SettingWriteRow<Reason>[],
  reasonText: Readonly<Record<Reason, string>>,
): string {
  return renderSection(
    title,
    ["setting", "now", "gw3cx", "write", "why"],
    items.map((item) => [
      `${item.resource}.${item.field}`,
      shown(item.current),
      shown(item.desired),
      item.write ? "yes" : "no",
      reasonText[item.reason],
    ]),
  );
}
