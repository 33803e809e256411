/**
 * A PBX may hold several users with one email (the spec has HasDuplicatedEmail and
 * GetDuplicatedEmails). The simulator allows it by default and refuses it on a `uniqueEmails`
 * PBX; gw3cx never links a Workspace user to the wrong one of them.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../shared/adapters/clock/system-clock.js";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import type { UserSyncPlan } from "../../../shared/domain/user-sync/user-sync-plan.js";
import { createLogger } from "../../../shared/logging/logger.js";
import type { Directory } from "../../../shared/ports/directory.js";
import { ThreeCxError } from "../../../shared/ports/threecx.js";
import { loadXapiSpec } from "../../../shared/simulators/threecx/spec/spec-validator.js";
import { applyUserSyncPlan } from "../../../shared/usecases/user-sync/apply-user-sync-plan.js";
import { UserLinkStore } from "../../../shared/usecases/user-sync/user-link-store.js";
import { BASE_SEED, type SimulatedPbx, startPbx } from "./harness.js";
import { formToken, rawXapi } from "./raw-xapi.js";

const spec = loadXapiSpec();
const RAW_CLIENT = { clientId: "raw-http", secret: "raw-http-secret", role: "system_owner" } as const;
let pbx: SimulatedPbx | undefined;
afterEach(async () => {
  expect(pbx?.sim.stats.specRejections ?? []).toEqual([]);
  await pbx?.sim.close();
  pbx = undefined;
});

describe("duplicate emails", () => {
  it("are allowed by default, and HasDuplicatedEmail / GetDuplicatedEmails report them", async () => {
    pbx = await startPbx({ ...BASE_SEED, apiClients: [RAW_CLIENT] });
    const twin = await pbx.client.createUser({
      Number: "160",
      FirstName: "Ada",
      EmailAddress: "ADA@example.com",
    });
    const ada = await pbx.client.getUserByNumber("101");
    const alan = await pbx.client.getUserByNumber("102");
    expect(await pbx.client.listUsers({ emailAddress: "ada@example.com" })).toHaveLength(2);

    // Its own API client: a token of gw3cx's would be revoked by the client's next one.
    const token = await formToken(pbx.sim, RAW_CLIENT.clientId, RAW_CLIENT.secret);
    for (const [id, expected] of [
      [twin.Id, true],
      [ada?.Id, true],
      [alan?.Id, false],
    ] as const) {
      const answer = await rawXapi(pbx.sim, token, "GET", `/Users(${id})/Pbx.HasDuplicatedEmail()`);
      expect(answer.status).toBe(200);
      expect(spec.checkResponseBody(spec.operationById("HasDuplicatedEmail"), answer.body)).toBeUndefined();
      expect({ id, body: answer.body }).toEqual({ id, body: { value: expected } });
    }
    const listed = await rawXapi(pbx.sim, token, "POST", "/Users/Pbx.GetDuplicatedEmails", {
      emails: ["Ada@Example.com", "alan@example.com", "nobody@example.com"],
    });
    expect(listed.status).toBe(200);
    expect(spec.checkResponseBody(spec.operationById("GetDuplicatedEmails"), listed.body)).toBeUndefined();
    expect(listed.body).toEqual({ value: ["Ada@Example.com"] });

    // Changing one of them away ends the duplicate.
    await pbx.client.updateUser(twin.Id, { EmailAddress: "ada.two@example.com" });
    expect(
      (await rawXapi(pbx.sim, token, "GET", `/Users(${ada?.Id})/Pbx.HasDuplicatedEmail()`)).body,
    ).toEqual({
      value: false,
    });
    expect((await rawXapi(pbx.sim, token, "GET", "/Users(4242)/Pbx.HasDuplicatedEmail()")).status).toBe(404);
  });

  it("are refused with WARNINGS.XAPI.DUPLICATE on a PBX seeded with uniqueEmails", async () => {
    pbx = await startPbx({ ...BASE_SEED, uniqueEmails: true });
    const refusal = (await pbx.client
      .createUser({ Number: "160", EmailAddress: "ADA@example.com" })
      .catch((e: unknown) => e)) as ThreeCxError;
    expect(refusal).toBeInstanceOf(ThreeCxError);
    expect(refusal).toMatchObject({
      status: 400,
      warning: "WARNINGS.XAPI.DUPLICATE",
      target: "EmailAddress",
    });
    const other = await pbx.client.createUser({ Number: "161", EmailAddress: "other@example.com" });
    await expect(pbx.client.updateUser(other.Id, { EmailAddress: "alan@example.com" })).rejects.toMatchObject(
      {
        warning: "WARNINGS.XAPI.DUPLICATE",
      },
    );
    // Its own email again is no duplicate.
    await pbx.client.updateUser(other.Id, { EmailAddress: "OTHER@example.com" });
  });

  it("a create whose answer was lost links the user created, not another user with the same email", async () => {
    // No retries: the client gives up at once, so gw3cx's own recovery has to find the user.
    pbx = await startPbx(BASE_SEED, {}, { retry: { retries: 0 } });
    // Someone else with the same email appeared after the plan was made (an administrator, say).
    pbx.sim.state.createUser({ Number: "150", FirstName: "Other", EmailAddress: "grace@example.com" });
    pbx.sim.faults.add({ operation: "CreateUser", fault: "lostResponse", times: 1 });
    const state = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), "gw3cx-dup-")), "state.db"));
    const links = new UserLinkStore(state);
    const plan: UserSyncPlan = {
      creates: [
        {
          googleId: "g-grace",
          email: "grace@example.com",
          number: "160",
          fields: { FirstName: "Grace", LastName: "Hopper", EmailAddress: "grace@example.com", Mobile: "" },
          reason: "NEW_ACTIVE_USER",
        },
      ],
      adoptions: [],
      updates: [],
      disables: [],
      enables: [],
      skips: [],
      problems: [],
      managedCount: 0,
    };
    const outcome = await applyUserSyncPlan(
      plan,
      {
        threecx: pbx.client,
        directory: {} as Directory,
        state,
        clock: systemClock,
        logger: createLogger(
          { component: "test" },
          { destination: new Writable({ write: (_c, _e, done) => done() }) },
        ),
      },
      {
        links,
        lease: async (_id, work) => {
          await work();
          return true;
        },
        concurrency: 1,
        syncPhoto: false,
        numbers: {
          first: async () => "100",
          nextAfter: async () => {
            throw new Error("this plan names its number; no refusal expected");
          },
        },
      },
    );
    expect(outcome.errors).toEqual([]);
    expect(pbx.sim.faults.fired("lostResponse")).toBe(1);
    const holders = [...pbx.sim.state.users.values()].filter((u) => u.EmailAddress === "grace@example.com");
    expect(holders.map((u) => u.Number).sort()).toEqual(["150", "160"]);
    expect(await links.get("g-grace")).toMatchObject({ number: "160", origin: "created" });
    await state.close();
  });
});
