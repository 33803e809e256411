import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { stateStoreTokenStore } from "../../../shared/adapters/threecx/state-store-token-store.js";
import { CLIENT_ID, type SimulatedPbx, startPbx } from "./harness.js";

let pbx: SimulatedPbx | undefined;
afterEach(async () => {
  await pbx?.sim.close();
  pbx = undefined;
});

describe("3CX token shared between processes of one API client", () => {
  it("without sharing, two instances revoke each other's token and pay a 401 and a new token each time", async () => {
    pbx = await startPbx();
    const a = pbx.newClient();
    const b = pbx.newClient();
    for (let i = 0; i < 3; i++) {
      await a.getUser(1);
      await b.getUser(1);
    }
    expect(pbx.sim.stats.unauthorized).toBeGreaterThanOrEqual(4);
    expect(pbx.sim.stats.requests.Token).toBeGreaterThanOrEqual(5);
  });

  it("with the token in the shared state store, instances take the newest token: one fetch, no 401", async () => {
    pbx = await startPbx();
    const state = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), "gw3cx-token-")), "state.db"));
    const shared = () => stateStoreTokenStore(state, CLIENT_ID);
    const a = pbx.newClient({ sharedToken: shared() });
    const b = pbx.newClient({ sharedToken: shared() });
    pbx.sim.resetStats();
    for (let i = 0; i < 3; i++) {
      await a.getUser(1);
      await b.getUser(1);
    }
    expect(pbx.sim.stats.requests.Token).toBe(1);
    expect(pbx.sim.stats.unauthorized).toBe(0);
    await state.close();
  });

  it("a token the PBX refused is not taken back from the store", async () => {
    pbx = await startPbx();
    const state = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), "gw3cx-token-")), "state.db"));
    const a = pbx.newClient({ sharedToken: stateStoreTokenStore(state, CLIENT_ID) });
    await a.getUser(1);
    pbx.sim.tokens.expireAll();
    pbx.sim.resetStats();
    await a.getUser(1);
    expect(pbx.sim.stats.unauthorized).toBe(1);
    expect(pbx.sim.stats.requests.Token).toBe(1);
    await state.close();
  });
});
