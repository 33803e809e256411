/**
 * Seeds and settings for the user-sync benchmark: a Workspace tenant of N users (the demo admin
 * plus generated ones) and, optionally, the same N people already on the 3CX side.
 */
import type { DestinationStream } from "pino";
import {
  DEMO_ADMIN,
  demoThreeCxSeed,
  demoWorkspaceSeed,
} from "../../../shared/simulators/demo/demo-organisation.js";
import { type TenantSeed, withGeneratedUsers } from "../../../shared/simulators/google/seed.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";

/** N Workspace users in all: the admin gw3cx acts as, plus N - 1 generated (user00000@example.com, ...). */
export function workspaceSeed(users: number): TenantSeed {
  const demo = demoWorkspaceSeed();
  const admin = (demo.users ?? []).find((u) => u.primaryEmail === DEMO_ADMIN);
  if (!admin) throw new Error("the demo seed has no admin");
  return withGeneratedUsers({ ...demo, users: [admin], groups: [] }, users - 1);
}

/**
 * The PBX: the demo API client and department, no other DNs; with `matching`, one 3CX user per
 * Workspace user of workspaceSeed(matching + 1 ... ) with the same email, name and work phone
 * (numbers from 10000), so a first sync adopts them all and changes nothing.
 */
export function threecxSeed(options: { matchingUsers?: number } = {}): ThreeCxSeed {
  const demo = demoThreeCxSeed();
  const users: NonNullable<ThreeCxSeed["users"]> = [];
  const count = options.matchingUsers ?? 0;
  if (count > 0) {
    users.push({ Number: "10000", FirstName: "Workspace", LastName: "Admin", EmailAddress: DEMO_ADMIN });
    for (let i = 0; i < count - 1; i++) {
      const n = String(i).padStart(5, "0");
      users.push({
        Number: String(10_001 + i),
        FirstName: `Given${n}`,
        LastName: `Family${n}`,
        EmailAddress: `user${n}@example.com`,
        Mobile: `+4930${String(1_000_000 + i)}`,
      });
    }
  }
  return { extensionStart: "100", apiClients: demo.apiClients, departments: [{ Name: "DEFAULT" }], users };
}

/** Log lines of the benchmarked runs go to stderr, so stdout keeps only the report. */
export const stderrDestination: DestinationStream = {
  write: (line: string) => {
    process.stderr.write(line);
  },
};

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));
