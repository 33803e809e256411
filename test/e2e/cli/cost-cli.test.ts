import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "./run-cli.js";

interface CostJson {
  users: number;
  features: Record<string, boolean>;
  lines: { service: string; what: string; quantity: number; monthlyUsd: number }[];
  totalUsd: number;
  assumptions: string[];
  parameters: Record<string, number>;
}

describe("gw3cx cost", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gw3cx-cost-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("--json --users 100 with the default settings: line items that add up to the total, nothing else on stdout", async () => {
    const result = await runCli(["cost", "--json", "--users", "100"], cliEnv({}));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const cost = JSON.parse(result.stdout) as CostJson;
    expect(cost.users).toBe(100);
    expect(cost.features.calendarPresence).toBe(false);
    expect(cost.features.digest).toBe(true);
    const sum = cost.lines.reduce((total, line) => total + line.monthlyUsd, 0);
    expect(cost.totalUsd).toBeCloseTo(sum, 6);
    expect(cost.lines.some((l) => l.what.startsWith("gw3cx-daily-sync:"))).toBe(true);
    expect(cost.lines.some((l) => l.what.startsWith("gw3cx-presence-worker:"))).toBe(false);
    expect(cost.assumptions.length).toBeGreaterThan(0);
  });

  it("follows the features of a --config file and the options' assumptions", async () => {
    const config = join(dir, "settings.json");
    writeFileSync(config, JSON.stringify({ calendarPresence: true, transcription: { enabled: true } }));
    const result = await runCli(
      ["--config", config, "cost", "--json", "--users", "200", "--recording-minutes", "600"],
      cliEnv({ GW3CX_STATE_DB: join(dir, "state.db") }),
    );
    expect(result.code).toBe(0);
    const cost = JSON.parse(result.stdout) as CostJson;
    expect(cost.lines.some((l) => l.what.startsWith("gw3cx-presence-worker:"))).toBe(true);
    const speech = cost.lines.find((l) => l.service === "Speech-to-Text v2");
    expect(speech?.quantity).toBe(600);
    expect(cost.parameters.recordingMinutes).toBe(600);
  });

  it("prints a table with the total and the assumptions for people", async () => {
    const result = await runCli(["cost", "--users", "10000"], cliEnv({}));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("What gw3cx costs per month for 10,000 users");
    expect(result.stdout).toContain("total per month");
    expect(result.stdout).toContain("Assumptions");
  });

  it("refuses a negative or non-numeric value, naming the option and the value", async () => {
    for (const [option, value] of [
      ["--users", "-5"],
      ["--users", "many"],
      ["--calendar-changes-per-user-day", "-1"],
    ] as const) {
      const result = await runCli(["cost", option, value], cliEnv({}));
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`${option} must be a`);
      expect(result.stderr).toContain(`got "${value}"`);
    }
  });
});
