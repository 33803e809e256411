import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoWorkspaceSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { SeedUser } from "../../../shared/simulators/google/seed.js";
import { cliSettingsFor, runCli } from "./run-cli.js";

const LONG_NAME = "Maximiliana-Theodora Wilhelmina Josephine Annabella Rosalind";

const person = (name: string, over: Partial<SeedUser> = {}): SeedUser => ({
  primaryEmail: `${name.toLowerCase()}@example.com`,
  givenName: name,
  familyName: "Example",
  ...over,
});

/** `gw3cx sync` as text: what it wrote, and what it left out or alone and why. */
describe("gw3cx sync reports problems and skips, and honours syncUsers: false", () => {
  let sims: DemoSimulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sims = await startDemoSimulators({
      google: {
        ...demoWorkspaceSeed(),
        users: [
          person("Admin", { primaryEmail: "admin@example.com", isAdmin: true }),
          person("Ada"),
          person("Long", { givenName: LONG_NAME }),
          person("Sam", { suspended: true }),
          person("Sue", { suspended: true }),
        ],
      },
    });
    ({ dir, env } = cliSettingsFor(sims, "gw3cx-cli-report-"));
  });

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("with syncUsers: false, sync says user sync is off, exits 78 and writes nothing", async () => {
    const result = await runCli(["sync"], { ...env, GW3CX_SYNC_USERS: "false" });
    expect(result.code).toBe(78);
    expect(result.stdout).toMatch(/: off\n/);
    expect(result.stdout).toContain("User sync is off (syncUsers: false");
    expect(sims.threecx.stats.requests.CreateUser ?? 0).toBe(0);

    const plan = await runCli(["plan"], { ...env, GW3CX_SYNC_USERS: "false" });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Create \(3\):/);
    expect(plan.stdout).toContain("User sync is off (syncUsers: false)");
  });

  it("sync shows the writes, the value left out with its user, and the users left alone with reasons", async () => {
    const result = await runCli(["sync"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: applied\n\s+3 created\n/);
    expect(result.stdout).toContain("1 value(s) longer than 3CX accepts, left out (never cut short)");
    expect(result.stdout).toContain("long@example.com  FirstName: 60 characters, 3CX accepts 50");
    expect(result.stdout).toContain("2 user(s) left alone:");
    expect(result.stdout).toMatch(
      /2 {2}suspended, archived or deleted in Workspace, and never synced: (sam|sue)@example\.com, (sam|sue)@example\.com/,
    );
    const long = [...sims.threecx.state.users.values()].find((u) => u.EmailAddress === "long@example.com");
    expect(long).toMatchObject({ FirstName: null, LastName: "Example", Enabled: true });
  });
});
