import { demoWorkspaceSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import type { SeedUser } from "../../../shared/simulators/google/seed.js";

/** A Workspace user name@example.com, surname "Example", with any field overridden. */
export const person = (name: string, over: Partial<SeedUser> = {}): SeedUser => ({
  primaryEmail: `${name.toLowerCase()}@example.com`,
  givenName: name,
  familyName: "Example",
  ...over,
});

/** A small tenant: the demo's service account and delegation, with these users (plus the admin). */
export function smallTenant(users: SeedUser[]) {
  return {
    ...demoWorkspaceSeed(),
    users: [person("Admin", { primaryEmail: "admin@example.com", isAdmin: true }), ...users],
  };
}
