import { describe, expect, it } from "vitest";
import { isGw3cxError } from "../../../shared/errors.js";
import type { StateStore } from "../../../shared/ports/state-store.js";

export interface StateStoreUnderTest {
  name: string;
  /** A fresh, empty store for each test. */
  open: () => Promise<StateStore>;
  /** Behaviours this implementation's local stand-in cannot show, with why. */
  limitations?: { concurrentCompareAndSet?: string; setReplacesWholeDocument?: string };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isGw3cxError(error) ? error.code : error).toBe(code);
}

/** The behaviour every StateStore adapter must have; run against each adapter. */
export function describeStateStoreContract(subject: StateStoreUnderTest): void {
  describe(`StateStore contract: ${subject.name}`, () => {
    const withStore = (run: (store: StateStore) => Promise<void>) => async () => {
      const store = await subject.open();
      try {
        await run(store);
      } finally {
        await store.close();
      }
    };

    it(
      "creates a document at version 1 and reads it back, Unicode and nested values intact",
      withStore(async (store) => {
        const data = {
          name: "Zoë Ñúñez 李小龍 🙂",
          phones: ["+4930123"],
          nested: { enabled: true, n: 3.5 },
          none: null,
        };
        const created = await store.create("links", "user-1", data);
        expect(created.version).toBe(1);
        const read = await store.get("links", "user-1");
        expect(read?.data).toEqual(data);
        expect(read?.version).toBe(1);
        expect(read?.updateTime).toBeInstanceOf(Date);
        expect(await store.get("links", "absent")).toBeUndefined();
      }),
    );

    it(
      "refuses a second create of the same document and keeps the first (the idempotency primitive)",
      withStore(async (store) => {
        await store.create("runs", "run-1", { state: "first" });
        await expectCode(store.create("runs", "run-1", { state: "second" }), "STATE_ALREADY_EXISTS");
        expect((await store.get("runs", "run-1"))?.data).toEqual({ state: "first" });
      }),
    );

    it(
      "set creates or overwrites a document and counts versions",
      withStore(async (store) => {
        expect((await store.set("channels", "c1", { a: 1 })).version).toBe(1);
        const replaced = await store.set("channels", "c1", { a: 3 });
        expect(replaced.version).toBe(2);
        expect((await store.get("channels", "c1"))?.data).toEqual({ a: 3 });
      }),
    );

    const noReplace = subject.limitations?.setReplacesWholeDocument;
    it.skipIf(Boolean(noReplace))(
      `set drops the fields the new document does not have${noReplace ? ` (stand-in limitation: ${noReplace})` : ""}`,
      withStore(async (store) => {
        await store.set("channels", "c1", { a: 1, b: 2 });
        await store.set("channels", "c1", { a: 3 });
        expect((await store.get("channels", "c1"))?.data).toEqual({ a: 3 });
      }),
    );

    it(
      "update merges top-level fields, replacing nested objects whole",
      withStore(async (store) => {
        await store.create("links", "u", {
          email: "a@example.com",
          threecx: { id: 1, number: "100" },
          keep: true,
        });
        const updated = await store.update("links", "u", { threecx: { id: 2 }, extra: "x" });
        expect(updated.version).toBe(2);
        expect((await store.get("links", "u"))?.data).toEqual({
          email: "a@example.com",
          threecx: { id: 2 },
          keep: true,
          extra: "x",
        });
      }),
    );

    it(
      "update of a missing document fails with NOT_FOUND",
      withStore(async (store) => {
        await expectCode(store.update("links", "ghost", { a: 1 }), "STATE_NOT_FOUND");
        expect(await store.get("links", "ghost")).toBeUndefined();
      }),
    );

    it(
      "compare-and-set: a stale expectedVersion is refused and changes nothing",
      withStore(async (store) => {
        await store.create("overrides", "u", { profile: "Available" });
        await store.update("overrides", "u", { profile: "Away" }, { expectedVersion: 1 });
        await expectCode(
          store.update("overrides", "u", { profile: "Out of office" }, { expectedVersion: 1 }),
          "STATE_VERSION_CONFLICT",
        );
        const current = await store.get("overrides", "u");
        expect(current).toMatchObject({ version: 2, data: { profile: "Away" } });
      }),
    );

    const noLocking = subject.limitations?.concurrentCompareAndSet;
    it.skipIf(Boolean(noLocking))(
      `compare-and-set under concurrency: of 8 racing writers exactly one wins${noLocking ? ` (stand-in limitation: ${noLocking})` : ""}`,
      withStore(async (store) => {
        await store.create("counters", "c", { value: 0 });
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            store.update("counters", "c", { value: i + 1 }, { expectedVersion: 1 }),
          ),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        expect((await store.get("counters", "c"))?.version).toBe(2);
      }),
    );

    it(
      "delete reports whether the document existed",
      withStore(async (store) => {
        await store.create("runs", "r", { a: 1 });
        expect(await store.delete("runs", "r")).toBe(true);
        expect(await store.delete("runs", "r")).toBe(false);
        expect(await store.get("runs", "r")).toBeUndefined();
      }),
    );

    it(
      "deletes only the expected version when asked to, and says so when the document has moved on",
      withStore(async (store) => {
        await store.create("userLocks", "u1", { owner: "run-a" });
        const taken = await store.update("userLocks", "u1", { owner: "run-b" });
        await expectCode(store.delete("userLocks", "u1", { expectedVersion: 1 }), "STATE_VERSION_CONFLICT");
        expect((await store.get("userLocks", "u1"))?.data).toEqual({ owner: "run-b" });
        expect(await store.delete("userLocks", "u1", { expectedVersion: taken.version })).toBe(true);
        expect(await store.delete("userLocks", "u1", { expectedVersion: taken.version })).toBe(false);
      }),
    );

    it(
      "queries by equality on strings, numbers and booleans, with ordering and a limit",
      withStore(async (store) => {
        const runs = [
          { id: "r1", trigger: "daily", held: false, startedAt: 100 },
          { id: "r2", trigger: "realtime", held: false, startedAt: 300 },
          { id: "r3", trigger: "daily", held: true, startedAt: 200 },
          { id: "r4", trigger: "daily", held: false, startedAt: 400 },
        ];
        for (const { id, ...data } of runs) await store.create("runs", id, data);
        await store.create("other", "r9", { trigger: "daily", held: false, startedAt: 999 });

        const daily = await store.query("runs", { where: [["trigger", "==", "daily"]] });
        expect(daily.map((d) => d.id)).toEqual(["r1", "r3", "r4"]);

        const dailyNotHeld = await store.query("runs", {
          where: [
            ["trigger", "==", "daily"],
            ["held", "==", false],
          ],
        });
        expect(dailyNotHeld.map((d) => d.id)).toEqual(["r1", "r4"]);

        const latestTwo = await store.query("runs", {
          orderBy: { field: "startedAt", direction: "desc" },
          limit: 2,
        });
        expect(latestTwo.map((d) => d.id)).toEqual(["r4", "r2"]);
        expect((await store.query("runs", { where: [["startedAt", "==", 200]] })).map((d) => d.id)).toEqual([
          "r3",
        ]);
      }),
    );

    it(
      "reads a collection larger than one read slice whole, in id order, and stops at a limit past the first slice",
      withStore(async (store) => {
        // 1,200 documents: more than the 1,000 rows the embedded store reads per event-loop turn.
        const ids = Array.from({ length: 1200 }, (_, i) => `g${String(i).padStart(5, "0")}`);
        for (let start = 0; start < ids.length; start += 300) {
          await Promise.all(
            ids
              .slice(start, start + 300)
              .map((id, j) => store.create("links", id, { threecxId: start + j, filter: (start + j) % 2 })),
          );
        }
        await store.create("other", "g00000x", { threecxId: -1, filter: 0 });

        const all = await store.query<{ threecxId: number }>("links");
        expect(all.map((d) => d.id)).toEqual(ids);
        expect(all.map((d) => d.data.threecxId)).toEqual(ids.map((_, i) => i));
        expect((await store.query("links", { limit: 1100 })).map((d) => d.id)).toEqual(ids.slice(0, 1100));
        const odd = await store.query("links", { where: [["filter", "==", 1]] });
        expect(odd.map((d) => d.id)).toEqual(ids.filter((_, i) => i % 2 === 1));
      }),
      60_000,
    );

    it(
      "refuses collection names and ids the cloud store would refuse",
      withStore(async (store) => {
        await expectCode(store.create("bad/name", "x", {}), "STATE_INVALID_ARGUMENT");
        await expectCode(store.create("links", "a/b", {}), "STATE_INVALID_ARGUMENT");
        await expectCode(store.get("links", ""), "STATE_INVALID_ARGUMENT");
        await expectCode(store.query("links", { where: [["a.b", "==", 1]] }), "STATE_INVALID_ARGUMENT");
        await expectCode(store.set("links", "x", { __version: 9 }), "STATE_INVALID_ARGUMENT");
      }),
    );
  });
}
