import { afterEach, describe, expect, it } from "vitest";
import { PRESENCE_DECISION_OPS, reconcileTickReads } from "../../../../shared/domain/cost/usage-model.js";
import type { DocumentData, QueryOptions, StateStore } from "../../../../shared/ports/state-store.js";
import { applyPresence } from "../../../../shared/usecases/presence/apply-presence.js";
import { reconcilePresence } from "../../../../shared/usecases/presence/reconcile-presence.js";
import { resyncCalendars } from "../../../../shared/usecases/presence/resync-calendars.js";
import { CONFIG, MIN, meetingEvent, type PresenceWorld, presenceWorld, T0 } from "./presence-fakes.js";

/**
 * The documents a use case touches, counted as Firestore bills them: a document read per get and
 * per document a query returns (at least one per query), a write per create, set or update.
 */
function countingStore(inner: StateStore) {
  const counts = { reads: 0, writes: 0, deletes: 0 };
  const store: StateStore = {
    get: (c, id) => {
      counts.reads++;
      return inner.get(c, id);
    },
    create: (c, id, d) => {
      counts.writes++;
      return inner.create(c, id, d);
    },
    set: (c, id, d) => {
      counts.writes++;
      return inner.set(c, id, d);
    },
    update: (c, id, f, o) => {
      counts.writes++;
      return inner.update(c, id, f, o);
    },
    delete: (c, id, o) => {
      counts.deletes++;
      return inner.delete(c, id, o);
    },
    query: async <T extends DocumentData>(c: string, o?: QueryOptions) => {
      const found = await inner.query<T>(c, o);
      counts.reads += Math.max(1, found.length);
      return found;
    },
    close: () => inner.close(),
  };
  const reset = () => {
    counts.reads = counts.writes = counts.deletes = 0;
  };
  return { store, counts, reset };
}

let world: PresenceWorld;
afterEach(async () => {
  await world?.state.close();
});

describe("the cost model's Firestore counts for presence match the use cases", () => {
  it("one decision: a meeting entered, then moved", async () => {
    world = await presenceWorld();
    await world.link("g1");
    const { store, counts, reset } = countingStore(world.state);
    const ports = { ...world.ports, state: store };
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 30 * MIN));
    await applyPresence(ports, CONFIG, "g1");
    expect(counts).toEqual(PRESENCE_DECISION_OPS);
    reset();
    world.calendar.put(meetingEvent("e1", T0 - 5 * MIN, T0 + 45 * MIN));
    await applyPresence(ports, CONFIG, "g1");
    expect(counts).toEqual(PRESENCE_DECISION_OPS);
  });

  it("the nightly resync: the links once, then one decision per user", async () => {
    world = await presenceWorld();
    const users = ["g1", "g2", "g3"];
    for (const [i, id] of users.entries()) await world.link(id, 10 + i);
    world.calendar.put(meetingEvent("e1", T0 + 60 * MIN, T0 + 90 * MIN));
    const { store, counts } = countingStore(world.state);
    await resyncCalendars({ ...world.ports, state: store }, CONFIG);
    expect(counts).toEqual({
      reads: users.length + users.length * PRESENCE_DECISION_OPS.reads,
      writes: users.length * PRESENCE_DECISION_OPS.writes,
      deletes: users.length * PRESENCE_DECISION_OPS.deletes,
    });
  });

  it("the reconcile tick reads every stored boundary up to a page, due or not", async () => {
    world = await presenceWorld();
    const users = ["g1", "g2", "g3"];
    for (const [i, id] of users.entries()) await world.link(id, 10 + i);
    world.calendar.put(meetingEvent("e1", T0 + 60 * MIN, T0 + 90 * MIN));
    for (const id of users) await applyPresence(world.ports, CONFIG, id);
    const { store, counts } = countingStore(world.state);
    await reconcilePresence({ ...world.ports, state: store }, CONFIG);
    expect(counts.reads).toBe(reconcileTickReads(users.length));
    expect(counts.writes).toBe(0);
  });
});
