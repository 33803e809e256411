import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FUNCTION_SIZING } from "../../../infra/function-sizing.js";
import { FUNCTIONS, type FunctionKey } from "../../../infra/functions.js";
import { pbxCallersOf, pbxRequestsInFlight } from "../../../infra/sizing-budgets.js";
import { loadSettings } from "../../../shared/config/load-settings.js";

const README = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

/** The "### Function sizing" subsection, up to the next paragraph of the deploy guide it sits in. */
function sizingSection(): string {
  const start = README.indexOf("### Function sizing");
  expect(start, "README has a ### Function sizing subsection").toBeGreaterThan(-1);
  const end = README.indexOf("**Alerts.**", start);
  expect(end, "the subsection sits right before **Alerts.**").toBeGreaterThan(start);
  return README.slice(start, end);
}

/** Its table's rows as cells, keyed by the function name in the first column. */
function tableRows(section: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of section.split("\n")) {
    const name = /^\|\s*`(gw3cx-[a-z-]+)`\s*\|/.exec(line)?.[1];
    if (!name) continue;
    expect(rows.has(name), `${name} listed once`).toBe(false);
    rows.set(
      name,
      line
        .split("|")
        .slice(2, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe("README: the Function sizing table", () => {
  it("lists every function with exactly the sizes infra/function-sizing.ts deploys", () => {
    const rows = tableRows(sizingSection());
    const keys = Object.keys(FUNCTION_SIZING) as FunctionKey[];
    expect([...rows.keys()].sort()).toEqual(keys.map((key) => FUNCTIONS[key].name).sort());
    for (const key of keys) {
      const { memory, cpu, timeoutSeconds, concurrency, maxInstances } = FUNCTION_SIZING[key];
      const [readmeMemory, readmeCpu, timeout, readmeConcurrency, readmeMax, why] =
        rows.get(FUNCTIONS[key].name) ?? [];
      expect([readmeMemory, readmeCpu, timeout, readmeConcurrency, readmeMax], key).toEqual([
        memory,
        cpu,
        `${timeoutSeconds} s`,
        String(concurrency),
        String(maxInstances),
      ]);
      expect(why, `${key}: a reason`).toBeTruthy();
    }
  });

  it("states the PBX's worst case as the table and the default threecx.maxInFlight give it", () => {
    const worst = pbxRequestsInFlight(
      pbxCallersOf(FUNCTION_SIZING),
      loadSettings({ env: {} }).threecx.maxInFlight,
    );
    expect(sizingSection()).toContain(`at most **${worst}** XAPI requests`);
  });
});
