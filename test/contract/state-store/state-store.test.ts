import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { describe, it } from "vitest";
import { FirestoreStateStore } from "../../../shared/adapters/firestore/firestore-state-store.js";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { standInHost } from "../../support/stand-ins.js";
import { describeDelegationHealthContract } from "./delegation-health.contract.js";
import { describeStateStoreContract } from "./state-store.contract.js";

const sqlite = {
  name: "SQLite (embedded default)",
  open: async () => new SqliteStateStore(join(mkdtempSync(join(tmpdir(), "gw3cx-state-")), "state.db")),
};
describeStateStoreContract(sqlite);
describeDelegationHealthContract(sqlite);

const firestore = standInHost("firestoreStandIn");
if (firestore.host) {
  const [hostname, port] = firestore.host.split(":");
  const onEmulator = {
    name: "Firestore (on the Firestore emulator stand-in)",
    open: async () =>
      new FirestoreStateStore(
        new Firestore({
          projectId: "gw3cx-test",
          host: hostname,
          port: Number(port),
          ssl: false,
          customHeaders: { Authorization: "Bearer owner" },
        }),
        // A fresh prefix per test: the emulator cannot delete collections (listDocuments fails there).
        `t${randomUUID().replaceAll("-", "")}_`,
      ),
  };
  describeDelegationHealthContract(onEmulator);
  describeStateStoreContract({
    ...onEmulator,
    limitations: {
      concurrentCompareAndSet:
        "the Firestore emulator package never aborts concurrent transactions, so racing writers all win there; production Firestore aborts and retries them",
      setReplacesWholeDocument:
        "the Firestore emulator package merges on every set(); production Firestore replaces the document",
    },
  });
} else {
  describe("StateStore contract: Firestore", () => {
    it.skip(`skipped: ${firestore.skipReason}`, () => {});
  });
}
