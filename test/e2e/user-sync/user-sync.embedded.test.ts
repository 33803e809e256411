import { afterEach, describe, expect, it } from "vitest";
import { TOPICS } from "../../../shared/messaging/topics.js";
import type { BusMessage } from "../../../shared/ports/bus.js";
import { withGeneratedUsers } from "../../../shared/simulators/google/seed.js";
import {
  renewDirectoryChannels,
  TICK_RENEW_WITHIN_MS,
} from "../../../shared/usecases/channels/renew-directory-channels.js";
import { approveHeldRun } from "../../../shared/usecases/user-sync/approve-held-run.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { eventually } from "../../support/stand-ins.js";
import { type EmbeddedWorld, startEmbeddedWorld } from "./embedded-world.js";
import { person, smallTenant } from "./small-tenant.js";

let world: EmbeddedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("user sync on the embedded default (SQLite + in-process bus + both simulators)", () => {
  it("initial import: creates active users from startingExtension, skipping every number in use, and adopts by email", async () => {
    world = await startEmbeddedWorld();
    const { run } = await world.sync();
    expect(run.status).toBe("applied");
    expect(run.applied).toMatchObject({ creates: 47, adoptions: 1, disables: 0 });
    const users = world.pbxUsers();
    // 2 seeded + 47 created; the adopted reception user is not duplicated.
    expect(users).toHaveLength(49);
    expect(new Set(users.map((u) => u.EmailAddress?.toLowerCase())).size).toBe(49);
    const numbers = users.map((u) => Number(u.Number)).filter((n) => n >= 1000);
    // 1000 and 1001 are users, 1003 a queue, 1004 a ring group: none reused.
    expect(numbers.filter((n) => [1003, 1004].includes(n))).toEqual([]);
    expect(Math.min(...numbers.filter((n) => n > 1001))).toBe(1002);
    expect(world.pbxUserByEmail("reception@example.com")).toMatchObject({
      Number: "1000",
      FirstName: "Front",
    });
    // Both María García are there, told apart by email.
    expect(users.filter((u) => u.FirstName === "María" && u.LastName === "García")).toHaveLength(2);
    // Suspended and archived Workspace users are not created.
    expect(world.pbxUserByEmail("barbara.thompson.5@example.com")).toBeUndefined();
  });

  it("a listing of several pages is planned page by page: numbers follow the listing even for pages read before the 3CX side", async () => {
    // 1,200 Workspace users = 3 Directory pages.
    world = await startEmbeddedWorld({ google: withGeneratedUsers(smallTenant([]), 1199) });
    // Each Directory page takes 250 ms; the 3CX listing, started after the first, takes 100 ms.
    world.sims.google.addFault({ operation: "directory.users.list", latencyMs: 250 });
    world.sims.threecx.faults.add({ operation: "ListUser", latencyMs: 100 });
    const order: string[] = [];
    const { directory, threecx } = world.runtime.userSync;
    const listUsersPage = directory.listUsersPage.bind(directory);
    directory.listUsersPage = async (options) => {
      const page = await listUsersPage(options);
      order.push("directory page");
      return page;
    };
    const listPbxUsers = threecx.listUsers.bind(threecx);
    threecx.listUsers = async (query) => {
      const users = await listPbxUsers(query);
      order.push("3CX users");
      return users;
    };

    const { run } = await world.sync();
    expect(run.status).toBe("applied");
    expect(run.applied).toMatchObject({ creates: 1200, adoptions: 0 });
    // The premise: some pages came in before the 3CX side, and some after.
    expect(order.indexOf("3CX users")).toBeGreaterThanOrEqual(1);
    expect(order.indexOf("3CX users")).toBeLessThan(3);
    const generated = world
      .pbxUsers()
      .filter((u) => /^user\d{5}@/.test(u.EmailAddress ?? ""))
      .sort((a, b) => (a.EmailAddress ?? "").localeCompare(b.EmailAddress ?? ""));
    expect(generated).toHaveLength(1199);
    const numbers = generated.map((u) => Number(u.Number));
    // Listing order (by email) is number order, and no number in use (1003 queue, 1004 ring group) is taken.
    expect(numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number))).toBe(true);
    expect(numbers.filter((n) => n === 1003 || n === 1004)).toEqual([]);
    // admin@ is listed first and takes 1002; 1003 and 1004 are taken, so user00000 gets 1005.
    expect(world.pbxUserByEmail("admin@example.com")?.Number).toBe("1002");
    expect(numbers[0]).toBe(1005);
    expect(numbers.at(-1)).toBe(1005 + 1198);
  }, 60_000);

  it("a second run with nothing changed writes nothing", async () => {
    world = await startEmbeddedWorld();
    await world.sync();
    world.sims.threecx.resetStats();
    const { run } = await world.sync();
    expect(run.counts).toMatchObject({ creates: 0, updates: 0, disables: 0, enables: 0, adoptions: 0 });
    expect(world.writes()).toBe(0);
  });

  it("real time: a rename, a work phone change, suspend, unsuspend and delete in Workspace reach 3CX", async () => {
    world = await startEmbeddedWorld({
      google: smallTenant([
        person("Ada", { phones: [{ type: "work", value: "+49 30 1234567", primary: true }] }),
      ]),
    });
    await world.sync();
    const w = world;
    const ada = () => w.pbxUserByEmail("ada@example.com");
    expect(ada()).toMatchObject({ FirstName: "Ada", Mobile: "+49301234567", Enabled: true });

    w.sims.google.tenant.updateUser("ada@example.com", { givenName: "Augusta Ada" });
    expect(await eventually(ada, (u) => u?.FirstName === "Augusta Ada")).toMatchObject({
      FirstName: "Augusta Ada",
    });

    // The same number typed differently is not a change; a different number is.
    w.sims.threecx.resetStats();
    w.sims.google.tenant.updateUser("ada@example.com", {
      phones: [{ type: "work", value: "+49 (30) 123-4567", primary: true }],
    });
    await w.sims.google.notificationsIdle();
    w.sims.google.tenant.updateUser("ada@example.com", {
      phones: [{ type: "work", value: "+44 20 7946 0958", primary: true }],
    });
    expect(await eventually(ada, (u) => u?.Mobile === "+442079460958")).toBeDefined();
    expect(w.sims.threecx.stats.requests.UpdateUser).toBe(1);

    w.sims.google.tenant.suspendUser("ada@example.com");
    expect(await eventually(ada, (u) => u?.Enabled === false)).toBeDefined();
    w.sims.google.tenant.suspendUser("ada@example.com", false);
    expect(await eventually(ada, (u) => u?.Enabled === true)).toBeDefined();
    w.sims.google.tenant.deleteUser("ada@example.com");
    expect(await eventually(ada, (u) => u?.Enabled === false)).toBeDefined();
    // Disabled, never deleted: the extension and its history stay.
    expect(ada()?.Number).toBeDefined();
  });

  it("a user created in Workspace gets an extension in real time", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Ada")]) });
    await world.sync();
    const w = world;
    w.sims.google.tenant.createUser(person("Grace", { familyName: "Hopper" }));
    expect(
      await eventually(
        () => w.pbxUserByEmail("grace@example.com"),
        (u) => u !== undefined,
      ),
    ).toMatchObject({ FirstName: "Grace", Enabled: true });
  });

  it("scope: users who leave the selected org units are disabled, not deleted", async () => {
    world = await startEmbeddedWorld({
      google: smallTenant([
        person("Ada", { orgUnitPath: "/Sales" }),
        person("Alan", { orgUnitPath: "/Engineering" }),
      ]),
    });
    const w = world;
    await w.sync();
    expect(w.pbxUserByEmail("alan@example.com")?.Enabled).toBe(true);
    const salesOnly = {
      ...w.runtime.config,
      syncType: "selectedOrgUnits" as const,
      selectedOrgUnits: ["/Sales"],
    };
    const { run } = await syncAllUsers(w.runtime.userSync, salesOnly, { trigger: "manual" });
    // Alan (/Engineering) and the admin (/) left the scope.
    expect(run.applied?.disables).toBe(2);
    expect(w.pbxUserByEmail("alan@example.com")).toMatchObject({ Enabled: false });
    expect(w.pbxUserByEmail("ada@example.com")).toMatchObject({ Enabled: true });
    // A user created later outside the scope is never given an extension.
    w.sims.google.addNotificationFault({ kind: "drop", times: 10 });
    w.sims.google.tenant.createUser(person("Edsger", { orgUnitPath: "/Engineering" }));
    await syncAllUsers(w.runtime.userSync, salesOnly, { trigger: "manual" });
    expect(w.pbxUserByEmail("edsger@example.com")).toBeUndefined();
  });

  it("safeguard: a run that would disable too many is held with nothing applied, mailed, and applied on approval", async () => {
    world = await startEmbeddedWorld({ settings: { safeguard: { adminEmail: "it@example.com" } } });
    await world.sync();
    const w = world;
    // Notifications lost (as they can be): only the nightly reconcile sees the suspensions.
    w.sims.google.addNotificationFault({ kind: "drop", times: 100 });
    // (Not the admin: held-run mail is sent as that mailbox.)
    const victims = w
      .pbxUsers()
      .filter((u) => Number(u.Number) > 1001 && u.EmailAddress !== "admin@example.com")
      .slice(0, 7);
    for (const v of victims) w.sims.google.tenant.suspendUser(v.EmailAddress as string);
    w.sims.threecx.resetStats();

    const held = await w.sync({ trigger: "daily" });
    expect(held.run.status).toBe("held");
    expect(held.run.heldDisables).toHaveLength(7);
    expect(held.run.safeguard).toEqual({ disables: 7, limit: 5 });
    expect(w.writes()).toBe(0);
    expect(victims.every((v) => w.pbxUserByEmail(v.EmailAddress as string)?.Enabled)).toBe(true);
    expect(w.sims.google.tenant.sentMail).toHaveLength(1);
    expect(JSON.stringify(w.sims.google.tenant.sentMail[0])).toContain("it@example.com");

    const approved = await approveHeldRun(w.runtime.userSync, w.runtime.config, held.run.runId);
    expect(approved.run.status).toBe("applied");
    expect(approved.run.applied?.disables).toBe(7);
    expect(victims.every((v) => w.pbxUserByEmail(v.EmailAddress as string)?.Enabled === false)).toBe(true);
  });

  it("safeguard in real time: suspensions past the 24-hour budget wait for the nightly run instead of disabling at once", async () => {
    world = await startEmbeddedWorld();
    await world.sync();
    const w = world;
    const victims = w
      .pbxUsers()
      .filter((u) => Number(u.Number) > 1001 && u.EmailAddress !== "admin@example.com")
      .slice(0, 7);
    for (const v of victims) {
      w.sims.google.tenant.suspendUser(v.EmailAddress as string);
      await w.sims.google.notificationsIdle();
    }
    const disabled = () =>
      victims.filter((v) => w.pbxUserByEmail(v.EmailAddress as string)?.Enabled === false).length;
    await eventually(disabled, (n) => n >= 5);
    await eventually(
      () => w.logs.filter((l) => l.event === "userSyncRealtimeDisableDeferred").length,
      (n) => n >= 2,
    );
    expect(disabled()).toBe(5);
    // The nightly reconcile sees the two that waited; within its own limit, it applies them.
    const nightly = await w.sync({ trigger: "daily" });
    expect(nightly.run.applied?.disables).toBe(2);
    expect(disabled()).toBe(7);
  });

  it("the renewal tick replaces channels close to expiry, and real time keeps working through the new ones", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Ada")]) });
    await world.sync();
    const w = world;
    const [first] = await w.runtime.userSync.state.query<{ expirationMs: number }>("watchChannels", {
      limit: 1,
    });
    const expiresAt = first?.data.expirationMs ?? Number.NaN;
    // Two hours before the channels expire, as the tick would find them.
    const clock = {
      now: () => new Date(expiresAt - 2 * 60 * 60 * 1000),
      sleep: w.runtime.userSync.clock.sleep,
    };
    const ports = {
      directory: w.runtime.userSync.directory,
      state: w.runtime.userSync.state,
      clock,
      logger: w.runtime.userSync.logger,
    };
    const options = { webhookUrl: w.host.webhookUrl, channelToken: w.channelToken };
    // An hour's margin keeps them; the tick's 7 hours renews them.
    const kept = await renewDirectoryChannels(ports, { ...options, renewWithinMs: 60 * 60 * 1000 });
    expect(kept.opened).toEqual([]);
    const renewed = await renewDirectoryChannels(ports, { ...options, renewWithinMs: TICK_RENEW_WITHIN_MS });
    expect(renewed.opened).toHaveLength(4);
    expect(renewed.stopped.sort()).toEqual(kept.kept.sort());
    const recorded = await w.runtime.userSync.state.query<{ channelId: string }>("watchChannels");
    expect(recorded.map((c) => c.data.channelId).sort()).toEqual([...renewed.opened].sort());
    w.sims.google.tenant.updateUser("ada@example.com", { givenName: "Augusta" });
    expect(
      await eventually(
        () => w.pbxUserByEmail("ada@example.com"),
        (u) => u?.FirstName === "Augusta",
      ),
    ).toBeDefined();
  });

  it("never touches 3CX users gw3cx did not create or adopt", async () => {
    world = await startEmbeddedWorld();
    await world.sync();
    const room = world.pbxUserByEmail("room@example.com");
    expect(room).toMatchObject({ Number: "1001", FirstName: "Conference", Enabled: true });
    const again = await world.sync();
    expect(again.run.counts?.disables).toBe(0);
    expect(world.pbxUserByEmail("room@example.com")).toEqual(room);
  });

  it("forged webhooks (wrong token, unknown channel, expired channel) are refused and publish nothing", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Ada")]) });
    await world.sync();
    const [channel] = await world.runtime.userSync.state.query<{ channelId: string; resourceId: string }>(
      "watchChannels",
      { limit: 1 },
    );
    if (!channel) throw new Error("no channel recorded");
    const before = world.published.length;
    const post = (headers: Record<string, string>) =>
      fetch(world?.host.webhookUrl as string, {
        method: "POST",
        headers: {
          "x-goog-channel-id": channel.data.channelId,
          "x-goog-channel-token": world?.channelToken as string,
          "x-goog-resource-id": channel.data.resourceId,
          "x-goog-resource-state": "update",
          "x-goog-message-number": "7",
          "content-type": "application/json",
          ...headers,
        },
        body: JSON.stringify({ kind: "admin#directory#user", id: "1", primaryEmail: "ada@example.com" }),
      }).then((r) => r.status);
    expect(await post({ "x-goog-channel-token": "guess" })).toBe(403);
    expect(await post({ "x-goog-channel-id": "00000000-0000-0000-0000-000000000000" })).toBe(403);
    await world.runtime.userSync.state.update("watchChannels", channel.id, { expirationMs: Date.now() - 1 });
    expect(await post({})).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.published.length).toBe(before);
  });

  it("duplicate and concurrent deliveries of one change leave the same state with one write", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Ada")]) });
    await world.sync();
    const w = world;
    w.sims.google.addNotificationFault({ kind: "drop", times: 10 });
    const googleId = w.sims.google.tenant.updateUser("ada@example.com", { familyName: "Lovelace" }).id;
    w.sims.threecx.resetStats();
    const bus = w.runtime.userSync.bus;
    await Promise.all(
      Array.from({ length: 4 }, () =>
        bus.publish(TOPICS.directoryChanges, { googleUserId: googleId, event: "update" }),
      ),
    );
    await eventually(
      () => w.pbxUserByEmail("ada@example.com"),
      (u) => u?.LastName === "Lovelace",
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(w.sims.threecx.stats.requests.UpdateUser).toBe(1);
    expect(w.sims.threecx.stats.requests.CreateUser ?? 0).toBe(0);
  });

  it("with 10% injected faults on both sides, repeated runs converge with no duplicate user and no lost update", async () => {
    world = await startEmbeddedWorld();
    const w = world;
    w.sims.threecx.faults.add({ operation: "CreateUser", fault: "lostResponse", rate: 0.1 });
    w.sims.threecx.faults.add({ operation: "CreateUser", fault: "status503", rate: 0.1 });
    w.sims.threecx.faults.add({ operation: "UpdateUser", fault: "status500", rate: 0.1 });
    w.sims.google.addFault({ operation: "directory.users.list", error: "503", times: 1 });
    w.sims.google.addFault({ operation: "directory.users.photo.get", error: "429", times: 2 });
    for (let attempt = 0; attempt < 5; attempt++) {
      const { run } = await w.sync();
      if (run.status === "applied" && (run.counts?.creates ?? 0) === 0 && (run.counts?.adoptions ?? 0) === 0)
        break;
    }
    const users = w.pbxUsers();
    expect(users).toHaveLength(49);
    expect(new Set(users.map((u) => u.EmailAddress?.toLowerCase())).size).toBe(49);
    expect(w.sims.threecx.faults.fired("lostResponse")).toBeGreaterThan(0);
    const final = await w.sync();
    expect(final.run.counts).toMatchObject({ creates: 0, updates: 0, adoptions: 0 });
  });

  it("a malformed message is acked to the dead-letter topic with a reason naming the field and value", async () => {
    world = await startEmbeddedWorld({ google: smallTenant([person("Ada")]) });
    const dead: BusMessage[] = [];
    const bus = world.runtime.userSync.bus;
    const sub = await bus.subscribe(
      { topic: `${TOPICS.directoryChanges}-dead-letter`, name: "e2e-dead" },
      async (m) => {
        dead.push(m);
        return "ack";
      },
    );
    await bus.publish(TOPICS.directoryChanges, { googleUserId: 42, event: "update" });
    await bus.publish(TOPICS.directoryChanges, { googleUserId: "1", event: "rename" });
    await eventually(
      () => dead.length,
      (n) => n >= 2,
    );
    const reasons = dead.map((m) => m.attributes.deadLetterReason).sort();
    expect(reasons[0]).toContain('event = "rename"');
    expect(reasons[1]).toContain("googleUserId = 42");
    await sub.close();
  });
});
