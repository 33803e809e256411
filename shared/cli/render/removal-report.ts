import type { RemovalGuide } from "../../domain/remove/removal-guide.js";
import {
  countByStatus,
  REMOVAL_AREA_TITLE,
  type RemovalItem,
  type RemovalStatus,
} from "../../domain/remove/removal-item.js";

const STATUS_WORD: Readonly<Record<RemovalStatus, string>> = {
  "to-do": "TO DO",
  done: "DONE",
  "already-gone": "GONE",
  left: "LEFT",
  failed: "FAILED",
};

/** Past this many calendar channels in one state, the text report counts them instead of listing each. */
const CALENDAR_LINES = 10;

function itemLine(item: RemovalItem): string {
  const reason = item.reason ? `: ${item.reason}` : "";
  return `  ${STATUS_WORD[item.status].padEnd(6)} ${REMOVAL_AREA_TITLE[item.area]} ${item.target} (${item.action})${reason}`;
}

/**
 * One line per item; a tenant's many calendar channels are listed up to a few per status and then
 * counted (`--json` has every one). Failures are always listed in full.
 */
function itemLines(items: readonly RemovalItem[]): string[] {
  const lines: string[] = [];
  const calendarShown = new Map<RemovalStatus, number>();
  const calendarHidden = new Map<RemovalStatus, number>();
  const countHidden = () => {
    for (const [status, count] of calendarHidden)
      lines.push(
        `  ${STATUS_WORD[status].padEnd(6)} ${count} more calendar watch channels (--json lists each)`,
      );
    calendarHidden.clear();
  };
  for (const item of items) {
    if (item.area !== "calendar-channel") countHidden();
    else if (item.status !== "failed") {
      const shown = calendarShown.get(item.status) ?? 0;
      if (shown >= CALENDAR_LINES) {
        calendarHidden.set(item.status, (calendarHidden.get(item.status) ?? 0) + 1);
        continue;
      }
      calendarShown.set(item.status, shown + 1);
    }
    lines.push(itemLine(item));
  }
  countHidden();
  return lines;
}

export function renderRemoval(
  mode: "plan" | "apply",
  items: readonly RemovalItem[],
  guide: RemovalGuide,
): string {
  const counts = countByStatus(items);
  const sections: string[] = [];
  if (mode === "plan") {
    sections.push(
      "Before `gw3cx remove apply`:",
      ...guide.before.map((s) => `  - ${s.title}: ${s.detail}`),
      "",
    );
  }
  sections.push(
    mode === "plan" ? "What `gw3cx remove apply` would undo:" : "What was undone:",
    ...itemLines(items),
  );
  sections.push(
    "",
    mode === "plan"
      ? `${counts["to-do"]} to do, ${counts["already-gone"]} already gone, ${counts.left} left, ${counts.failed} could not be read. Nothing was changed; \`gw3cx remove apply\` does it.`
      : `${counts.done} done, ${counts["already-gone"]} already gone, ${counts.left} left, ${counts.failed} failed${counts.failed > 0 ? " (run `gw3cx remove apply` again once the cause is fixed)" : ""}.`,
  );
  sections.push(
    "",
    "Left in place on purpose:",
    ...guide.leftInPlace.map((l) => `  - ${l.what}: ${l.why}. To remove: ${l.howToRemove}.`),
  );
  sections.push("", "Then, by hand:", ...guide.after.map((s, i) => `  ${i + 1}. ${s.title}: ${s.detail}.`));
  return sections.join("\n");
}
