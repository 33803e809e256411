import { afterEach, describe, expect, it } from "vitest";
import { type EmbeddedWorld, startEmbeddedWorld } from "./embedded-world.js";

let world: EmbeddedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const signInOf = (w: EmbeddedWorld, email: string) =>
  w.sims.threecx.state.users.get(w.pbxUserByEmail(email)?.Id as number)?.GoogleSignInEnabled;

describe("Google sign-in for synced users (sso)", () => {
  it("switches GoogleSignInEnabled on for created and adopted users only, never for a 3CX user gw3cx does not manage", async () => {
    world = await startEmbeddedWorld({ settings: { sso: true } });
    const w = world;
    const { run } = await w.sync();
    expect(run.status).toBe("applied");
    const managed = w.pbxUsers().filter((u) => u.EmailAddress !== "room@example.com");
    expect(managed.length).toBeGreaterThan(40);
    expect(managed.every((u) => signInOf(w, u.EmailAddress as string) === true)).toBe(true);
    // The adopted front desk (an existing 3CX user) too; the conference room is not in Workspace.
    expect(signInOf(w, "reception@example.com")).toBe(true);
    expect(signInOf(w, "room@example.com")).toBe(false);

    // Switched off at the PBX for one user: the next run puts it back, and writes nothing else.
    const ada = w.pbxUserByEmail("ada.lovelace.0@example.com");
    const record = w.sims.threecx.state.users.get(ada?.Id as number) as Record<string, unknown>;
    record.GoogleSignInEnabled = false;
    w.sims.threecx.resetStats();
    const again = await w.sync();
    expect(again.run.counts?.updates).toBe(1);
    expect(w.writes()).toBe(1);
    expect(signInOf(w, "ada.lovelace.0@example.com")).toBe(true);
  });

  it("with sso off leaves every user's flag as it is", async () => {
    world = await startEmbeddedWorld();
    await world.sync();
    expect(
      world.pbxUsers().every((u) => signInOf(world as EmbeddedWorld, u.EmailAddress as string) === false),
    ).toBe(true);
  });
});
