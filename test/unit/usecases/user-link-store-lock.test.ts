import { afterEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { UserLinkStore } from "../../../shared/usecases/user-sync/user-link-store.js";

const stores: SqliteStateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function links(): UserLinkStore {
  const state = new SqliteStateStore(":memory:");
  stores.push(state);
  return new UserLinkStore(state);
}

const at = (ms: number) => new Date(ms);

describe("per-user lease", () => {
  it("is held by one worker at a time and free again once released", async () => {
    const store = links();
    const a = await store.tryLock("g1", "run-a", at(0), 60_000);
    expect(a).toBeDefined();
    expect(await store.tryLock("g1", "run-b", at(1_000), 60_000)).toBeUndefined();
    await store.unlock(a as NonNullable<typeof a>);
    expect(await store.tryLock("g1", "run-b", at(2_000), 60_000)).toBeDefined();
  });

  it("a worker whose lease expired and was taken over does not release the new holder's lease", async () => {
    const store = links();
    const slow = await store.tryLock("g1", "run-a", at(0), 60_000);
    const next = await store.tryLock("g1", "run-b", at(61_000), 60_000);
    expect(next).toBeDefined();
    await store.unlock(slow as NonNullable<typeof slow>);
    // run-b still holds it: a third worker is turned away.
    expect(await store.tryLock("g1", "run-c", at(62_000), 60_000)).toBeUndefined();
    await store.unlock(next as NonNullable<typeof next>);
    expect(await store.tryLock("g1", "run-c", at(63_000), 60_000)).toBeDefined();
  });
});
