import { afterEach, describe, expect, it } from "vitest";
import { demoWorkspaceSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import type { SeedUser } from "../../../shared/simulators/google/seed.js";
import type { SyncRun } from "../../../shared/usecases/user-sync/sync-run-store.js";
import { eventually } from "../../support/stand-ins.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "./embedded-world.js";

let world: EmbeddedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** `count` new people plus the admin, on the demo's service account and delegation. */
function tenantOf(count: number, prefix = "new") {
  const people = Array.from(
    { length: count },
    (_, i): SeedUser => ({
      primaryEmail: `${prefix}${String(i).padStart(2, "0")}@example.com`,
      givenName: `New${i}`,
      familyName: "Person",
    }),
  );
  return {
    ...demoWorkspaceSeed(),
    users: [
      { primaryEmail: "admin@example.com", givenName: "Admin", familyName: "Example", isAdmin: true },
      ...people,
    ],
  };
}

/** The documented default: no startingExtension, so numbers start at the PBX's first available. */
const DEFAULT_NUMBERING = { startingExtension: undefined };

const numbersOf = (w: EmbeddedWorld, emailPattern: RegExp) =>
  w
    .pbxUsers()
    .filter((u) => emailPattern.test(u.EmailAddress ?? ""))
    .map((u) => u.Number);

describe("extension numbers on default settings (no startingExtension)", () => {
  it("a first sync creates every new user in one run at 8 in flight, each on its own number, asking the PBX once", async () => {
    world = await startEmbeddedWorld({ google: tenantOf(15), settings: DEFAULT_NUMBERING });
    // Creates take a while, so 8 are in flight at once.
    world.sims.threecx.faults.add({ operation: "CreateUser", latencyMs: 150 });
    world.sims.threecx.resetStats();

    const { run } = await world.sync();

    expect(run.status).toBe("applied");
    expect(run.errors).toEqual([]);
    expect(run.applied).toMatchObject({ creates: 16 });
    expect(world.sims.threecx.stats.maxConcurrent).toBeGreaterThanOrEqual(8);
    const numbers = numbersOf(world, /^(new\d+|admin)@/);
    expect(numbers).toHaveLength(16);
    expect(new Set(numbers).size).toBe(16);
    // The demo PBX's first free number is 100; none of its DNs (800 IVR, 1000-1004) is in the way.
    expect([...numbers].sort()).toEqual(Array.from({ length: 16 }, (_, i) => String(100 + i)));
    expect(world.sims.threecx.stats.requests.GetFirstAvailableExtensionNumber).toBe(1);
    expect(world.sims.threecx.stats.requests.CreateUser).toBe(16);
    expect(world.sims.threecx.stats.ruleRejections["WARNINGS.XAPI.ALREADY_IN_USE"] ?? 0).toBe(0);
  });

  it("a create refused because its number was taken since it was read goes to the next free number; the run does not fail", async () => {
    world = await startEmbeddedWorld({ google: tenantOf(13), settings: DEFAULT_NUMBERING });
    // Three times, another admin takes the very number a create asks for, just before it lands.
    world.sims.threecx.faults.add({ operation: "CreateUser", fault: "numberTaken", times: 3 });

    const { run } = await world.sync();

    expect(run.status).toBe("applied");
    expect(run.errors).toEqual([]);
    expect(run.applied).toMatchObject({ creates: 14 });
    expect(world.sims.threecx.stats.ruleRejections["WARNINGS.XAPI.ALREADY_IN_USE"]).toBe(3);
    const taken = world.pbxUsers().filter((u) => u.FirstName === "Taken" && u.LastName === "Elsewhere");
    expect(taken).toHaveLength(3);
    const ours = numbersOf(world, /^(new\d+|admin)@/);
    expect(ours).toHaveLength(14);
    // Every number once: ours are unique and none is one the other admin took.
    const all = [...ours, ...taken.map((u) => u.Number)];
    expect(new Set(all).size).toBe(17);
    expect(world.logs.filter((l) => l.event === "userSyncNumberTaken")).toHaveLength(3);
    const again = await world.sync();
    expect(again.run.counts).toMatchObject({ creates: 0 });
  });

  it("real time: users added at once, their workers running concurrently, each get their own number with no failed delivery", async () => {
    world = await startEmbeddedWorld({ google: tenantOf(0), settings: DEFAULT_NUMBERING });
    await world.sync();
    const w = world;
    // The PBX's answer is slow to arrive (the simulator answers as of when the request came in),
    // so the workers all hear the same first available number before any of them creates.
    w.sims.threecx.faults.add({ operation: "GetFirstAvailableExtensionNumber", latencyMs: 300 });
    for (let i = 0; i < 6; i++)
      w.sims.google.tenant.createUser({
        primaryEmail: `late${i}@example.com`,
        givenName: `Late${i}`,
        familyName: "Joiner",
      });

    const numbers = await eventually(
      () => numbersOf(w, /^late\d@/),
      (found) => found.length === 6,
      15_000,
    );
    expect(numbers).toHaveLength(6);
    expect(new Set(numbers).size).toBe(6);
    // The premise: workers did collide on numbers, and each recovered in its own delivery.
    expect(w.logs.filter((l) => l.event === "userSyncNumberTaken").length).toBeGreaterThan(0);
    const runs = (await w.runtime.userSync.state.query<SyncRun & Record<string, unknown>>("syncRuns")).map(
      (d) => d.data,
    );
    expect(runs.filter((r) => r.trigger === "realtime" && r.status === "failed")).toEqual([]);
  });
});
