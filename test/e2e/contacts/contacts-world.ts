import { demoThreeCxSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import type { SeedContact, SeedUser } from "../../../shared/simulators/google/seed.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";
import {
  type SyncAllContactsOptions,
  syncAllContacts,
} from "../../../shared/usecases/contacts/sync-all-contacts.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "../user-sync/embedded-world.js";
import { person, smallTenant } from "../user-sync/small-tenant.js";

/** A labelled contact with a mobile number. */
export const labelled = (name: string, over: Partial<SeedContact> = {}): SeedContact => ({
  givenName: name,
  familyName: "Contact",
  phones: [{ value: `+4915100${String(name.length).padStart(2, "0")}${name.charCodeAt(0)}`, type: "mobile" }],
  labels: ["3CX"],
  ...over,
});

export interface ContactsWorld extends EmbeddedWorld {
  contacts(options?: Partial<SyncAllContactsOptions>): ReturnType<typeof syncAllContacts>;
  /** The personal phonebook of the user's extension, as the 3CX simulator holds it. */
  phonebook(email: string): Record<string, unknown>[];
  contactWrites(): number;
  googleUserId(email: string): string;
}

/** One user's result in a run. */
export function resultOf(run: Awaited<ReturnType<typeof syncAllContacts>>, email: string) {
  return run.results.find((r) => r.email === email);
}

/** Both simulators and the embedded runtime with contacts on; users already synced to 3CX. */
export async function startContactsWorld(
  users: SeedUser[],
  options: { threecx?: ThreeCxSeed; settings?: Record<string, unknown> } = {},
): Promise<ContactsWorld> {
  const world = await startEmbeddedWorld({
    google: smallTenant(users),
    threecx: { ...demoThreeCxSeed(), ...options.threecx },
    settings: { syncPersonalContacts: true, calendarPresence: false, phoneRegion: "DE", ...options.settings },
  });
  const run = await world.sync();
  if (run.run.status !== "applied") throw new Error(`user sync did not apply: ${JSON.stringify(run.run)}`);
  const numberOf = (email: string) => {
    const user = world.pbxUserByEmail(email);
    if (!user) throw new Error(`no 3CX user ${email}`);
    return user.Number;
  };
  return {
    ...world,
    contacts: (o = {}) =>
      syncAllContacts(world.runtime.contacts, world.runtime.contactsConfig, { trigger: "manual", ...o }),
    phonebook: (email) => world.sims.threecx.state.contactsOf(numberOf(email)),
    contactWrites: () => {
      const r = world.sims.threecx.stats.requests;
      return (r.CreateContactByNumber ?? 0) + (r.UpdateContact ?? 0) + (r.DeleteContactsById ?? 0);
    },
    googleUserId: (email) => world.sims.google.tenant.directory.require(email).id,
  };
}

export { person };
