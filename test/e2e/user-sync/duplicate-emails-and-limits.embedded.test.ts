/**
 * gw3cx on a PBX that holds duplicate emails and enforces its field lengths (the simulator's
 * defaults): two 3CX users sharing a Workspace user's email are reported, never adopted at random,
 * in the full run and in real time; values over 3CX's limits never reach the PBX.
 */
import { afterEach, describe, expect, it } from "vitest";
import { demoThreeCxSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import { eventually } from "../../support/stand-ins.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "./embedded-world.js";
import { person, smallTenant } from "./small-tenant.js";

let world: EmbeddedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The demo PBX plus two users an administrator made with one email. */
function pbxWithTwins(email: string) {
  const seed = demoThreeCxSeed();
  return {
    ...seed,
    users: [
      ...(seed.users ?? []),
      { Number: "2001", FirstName: "Grace", LastName: "One", EmailAddress: email },
      { Number: "2002", FirstName: "Grace", LastName: "Two", EmailAddress: email.toUpperCase() },
    ],
  };
}

describe("two 3CX users with the email of one Workspace user", () => {
  it("full run: skipped with EMAIL_SHARED_BY_PBX_USERS, neither adopted nor a third created", async () => {
    world = await startEmbeddedWorld({
      google: smallTenant([person("Grace")]),
      threecx: pbxWithTwins("grace@example.com"),
    });
    const { run, plan } = await world.sync();
    expect(run.status).toBe("applied");
    expect(plan?.skips).toContainEqual(
      expect.objectContaining({ email: "grace@example.com", reason: "EMAIL_SHARED_BY_PBX_USERS" }),
    );
    expect(plan?.adoptions).toEqual([]);
    const graces = world.pbxUsers().filter((u) => u.EmailAddress?.toLowerCase() === "grace@example.com");
    expect(graces.map((u) => u.LastName).sort()).toEqual(["One", "Two"]);
  });

  it("real time: a new Workspace user with that email is reported the same way, nothing written", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([]), threecx: pbxWithTwins("grace@example.com") });
    await world.sync();
    const w = world;
    w.sims.threecx.resetStats();
    const logged = w.logs.length;
    w.sims.google.tenant.createUser(person("Grace"));
    // The worker's run for Grace, not the full run before it.
    await eventually(
      () => w.logs.slice(logged).filter((line) => line.event === "userSyncApplied"),
      (lines) => lines.length > 0,
    );
    expect(w.sims.threecx.stats.requests.CreateUser ?? 0).toBe(0);
    expect(w.sims.threecx.stats.requests.UpdateUser ?? 0).toBe(0);
    expect(w.pbxUsers().filter((u) => u.EmailAddress?.toLowerCase() === "grace@example.com")).toHaveLength(2);
  });
});

describe("values over 3CX's limits", () => {
  it("never reach the PBX: it refuses none of gw3cx's writes, and holds nothing over 50 characters", async () => {
    world = await startEmbeddedWorld({
      google: smallTenant([person("Ada"), person("Long", { givenName: "L".repeat(51) })]),
    });
    const first = await world.sync();
    expect(first.run.status).toBe("applied");
    const w = world;
    w.sims.google.tenant.updateUser("ada@example.com", { givenName: "A".repeat(51), familyName: "Renamed" });
    const second = await w.sync();
    expect(second.run.status).toBe("applied");
    expect(second.run.errors ?? []).toEqual([]);
    // The change also arrives in real time; either way the rest of it goes ahead without the name.
    await eventually(
      () => w.pbxUserByEmail("ada@example.com")?.LastName,
      (lastName) => lastName === "Renamed",
    );
    expect(w.pbxUserByEmail("ada@example.com")?.FirstName).toBe("Ada");
    // Still gets a phone: created with the over-long name left out (reported), never cut short.
    expect(w.pbxUserByEmail("long@example.com")).toMatchObject({ LastName: "Example", Enabled: true });
    expect(w.pbxUserByEmail("long@example.com")?.FirstName ?? "").toBe("");
    expect(w.sims.threecx.stats.ruleRejections).toEqual({});
    for (const user of w.pbxUsers()) {
      expect((user.FirstName ?? "").length).toBeLessThanOrEqual(50);
      expect((user.LastName ?? "").length).toBeLessThanOrEqual(50);
    }
  });
});
