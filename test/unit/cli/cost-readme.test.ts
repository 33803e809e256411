import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costFeaturesOf, estimateForDeployment } from "../../../shared/cli/commands/cost.js";
import { renderCostSummaryMarkdown } from "../../../shared/cli/render/cost-summary-markdown.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { DEFAULT_ASSUMPTIONS } from "../../../shared/domain/cost/assumptions.js";
import type { CostFeatures } from "../../../shared/domain/cost/usage-model.js";

const README = new URL("../../../README.md", import.meta.url);

/** The table between the markers in README's "What it costs". */
function readmeTable(): string {
  const text = readFileSync(README, "utf8");
  const match = /<!-- cost-table:start -->\n([\s\S]*?)\n<!-- cost-table:end -->/.exec(text);
  if (!match?.[1]) throw new Error("README.md has no cost-table markers");
  return match[1];
}

/** A Markdown table as rows of trimmed cells; a separator row as its alignments. */
function cells(table: string): string[][] {
  return table.split("\n").map((row) =>
    row
      .replace(/^\|/, "")
      .replace(/\|$/, "")
      .split("|")
      .map((cell) => cell.trim().replace(/^-+(:?)$/, "---$1")),
  );
}

describe("README: What it costs", () => {
  it("shows what the estimate gives for 100 and 10,000 users, default and every feature (no drift)", () => {
    // The settings' own defaults, as `gw3cx cost` reads them with nothing configured.
    const defaults = costFeaturesOf(loadSettings({ env: {} }));
    const all: CostFeatures = {
      calendarPresence: true,
      syncPersonalContacts: true,
      transcription: true,
      remoteArchiving: true,
      digest: true,
      recaptcha: true,
    };
    const columns = [100, 10_000].flatMap((users) => [
      {
        title: `${users.toLocaleString("en-US")} users, defaults`,
        estimate: estimateForDeployment(users, defaults, DEFAULT_ASSUMPTIONS),
      },
      {
        title: `${users.toLocaleString("en-US")} users, all features`,
        estimate: estimateForDeployment(users, all, DEFAULT_ASSUMPTIONS),
      },
    ]);
    // Compared cell by cell: the formatter pads README's tables. On a difference, the expected side
    // holds the cells to put into README.md.
    expect(cells(readmeTable())).toEqual(cells(renderCostSummaryMarkdown(columns)));
  });
});
