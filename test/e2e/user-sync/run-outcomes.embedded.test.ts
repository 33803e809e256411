import { afterEach, describe, expect, it } from "vitest";
import { runDailySync } from "../../../shared/usecases/user-sync/run-daily-sync.js";
import { UserLinkStore } from "../../../shared/usecases/user-sync/user-link-store.js";
import { eventually } from "../../support/stand-ins.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "./embedded-world.js";
import { person, smallTenant } from "./small-tenant.js";

let world: EmbeddedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** 60 characters: more than the 50 3CX takes for a name. */
const LONG_NAME = "Maximiliana-Theodora Wilhelmina Josephine Annabella Rosalind";

const googleIdOf = (w: EmbeddedWorld, email: string) => w.sims.google.tenant.directory.require(email).id;

/** Takes a user's lease as another worker would, for `ttlMs`: one that died holding it, or is still at work. */
async function leaseAsOtherWorker(w: EmbeddedWorld, email: string, ttlMs: number): Promise<void> {
  const links = new UserLinkStore(w.runtime.userSync.state);
  const lock = await links.tryLock(googleIdOf(w, email), "other-worker", new Date(), ttlMs);
  if (!lock) throw new Error(`could not lease ${email}`);
}

describe("what a run reports about its outcome", () => {
  it("a name longer than 3CX accepts: the person still gets an extension, without that name, and the run reports it", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Long", { givenName: LONG_NAME })]) });
    const { run, plan } = await world.sync();
    expect(run.status).toBe("applied");
    expect(run.applied?.creates).toBe(2);
    expect(world.pbxUserByEmail("long@example.com")).toMatchObject({
      FirstName: null,
      LastName: "Example",
      Enabled: true,
    });
    expect(plan?.problems).toEqual([
      expect.objectContaining({ email: "long@example.com", field: "FirstName", length: 60, limit: 50 }),
    ]);
    expect(run.counts?.problems).toBe(1);
    expect(world.sims.threecx.stats.ruleRejections).toEqual({});

    // Nothing more to write next time, and the problem is still reported.
    world.sims.threecx.resetStats();
    const again = await world.sync();
    expect(world.writes()).toBe(0);
    expect(again.run.counts?.problems).toBe(1);

    // Real time: a new person with a long name gets an extension too.
    const w = world;
    w.sims.google.tenant.createUser(person("Longer", { familyName: LONG_NAME }));
    expect(
      await eventually(
        () => w.pbxUserByEmail("longer@example.com"),
        (u) => u !== undefined,
      ),
    ).toMatchObject({ FirstName: "Longer", LastName: null });
  });

  it("syncUsers: false: a full run, the nightly run and the real-time worker read and write nothing, and say so", async () => {
    world = await startEmbeddedWorld({
      google: smallTenant([person("Ada")]),
      settings: { syncUsers: false },
    });
    const w = world;
    w.sims.threecx.resetStats();

    const manual = await w.sync();
    expect(manual.run.status).toBe("off");
    const nightly = await runDailySync(w.runtime.userSync, w.runtime.config, {
      webhookUrl: w.host.webhookUrl,
      channelToken: w.channelToken,
    });
    expect(nightly.users?.run.status).toBe("off");
    w.sims.google.tenant.createUser(person("Grace"));
    await w.sims.google.notificationsIdle();
    await eventually(
      () => w.logs.filter((l) => l.event === "userSyncOff" && l.trigger === "realtime").length,
      (n) => n > 0,
    );

    expect(w.logs.filter((l) => l.event === "userSyncOff").map((l) => l.trigger)).toEqual([
      "manual",
      "daily",
      "realtime",
    ]);
    const requests = w.sims.threecx.stats.requests;
    expect(Object.keys(requests).filter((op) => op !== "Token")).toEqual([]);
    expect(w.pbxUserByEmail("ada@example.com")).toBeUndefined();
    expect(w.pbxUserByEmail("grace@example.com")).toBeUndefined();
    // The nightly run still keeps the watch channels alive for when user sync is switched on.
    expect(nightly.channels.kept.length + nightly.channels.opened.length).toBeGreaterThan(0);
  });

  it("a user leased by a worker that died: the run waits for the lease to lapse, then applies it", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Ada"), person("Alan")]) });
    await leaseAsOtherWorker(world, "alan@example.com", 1_500);
    const started = Date.now();
    const { run } = await world.sync();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(run.status).toBe("applied");
    expect(run.errors).toEqual([]);
    expect(run.applied?.creates).toBe(3);
    expect(world.pbxUserByEmail("alan@example.com")).toBeDefined();
  });

  it("a user held past the wait is reported as not applied, and the run fails instead of saying it applied everything", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Ada"), person("Alan")]) });
    await leaseAsOtherWorker(world, "alan@example.com", 60_000);
    const { run } = await world.sync({ leaseWaitMs: 300 });
    expect(run.status).toBe("failed");
    expect(run.applied?.creates).toBe(2);
    expect(run.errors).toEqual([
      expect.objectContaining({
        googleId: googleIdOf(world, "alan@example.com"),
        action: "create",
        code: "USER_LEASED",
      }),
    ]);
    expect(world.pbxUserByEmail("alan@example.com")).toBeUndefined();
  });

  it("two runs at once: each counts only the users it wrote itself", async () => {
    world = await startEmbeddedWorld();
    // Slow creates, so the two runs really overlap.
    world.sims.threecx.faults.add({ operation: "CreateUser", latencyMs: 30 });
    world.sims.threecx.resetStats();
    const [first, second] = await Promise.all([world.sync(), world.sync()]);
    expect(first.run.status).toBe("applied");
    expect(second.run.status).toBe("applied");
    const created = (first.run.applied?.creates ?? 0) + (second.run.applied?.creates ?? 0);
    const adopted = (first.run.applied?.adoptions ?? 0) + (second.run.applied?.adoptions ?? 0);
    // The premise: both planned every create, and both wrote some.
    expect(first.run.counts?.creates).toBe(47);
    expect(second.run.counts?.creates).toBe(47);
    expect(first.run.applied?.creates).toBeGreaterThan(0);
    expect(second.run.applied?.creates).toBeGreaterThan(0);
    expect(created).toBe(47);
    expect(adopted).toBe(1);
    expect(world.sims.threecx.stats.requests.CreateUser).toBe(47);
    expect(world.pbxUsers()).toHaveLength(49);
  });
});
