import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import type { SyncRun } from "../../../shared/usecases/user-sync/sync-run-store.js";
import { standInHost } from "../../support/stand-ins.js";
import { cliEnv, runCli } from "./run-cli.js";

const firestore = standInHost("firestoreStandIn");
const pubsub = standInHost("pubsubStandIn");

/** `--state firestore`: the same commands on the cloud's state store (the Firestore stand-in here). */
describe.skipIf(!firestore.host || !pubsub.host)(
  `gw3cx --state firestore ${firestore.skipReason}${pubsub.skipReason}`,
  () => {
    let sims: DemoSimulators;
    let dir: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      sims = await startDemoSimulators();
      dir = mkdtempSync(join(tmpdir(), "gw3cx-cli-fs-"));
      const config = join(dir, "settings.json");
      writeFileSync(config, JSON.stringify(sims.settings));
      env = cliEnv({
        ...sims.env,
        GW3CX_CONFIG: config,
        GW3CX_STATE_DB: join(dir, "state.db"),
        // A project of its own, so this run's documents are apart from every other suite's.
        GW3CX_GCP_PROJECT: `gw3cx-cli-${Math.random().toString(36).slice(2, 10)}`,
        FIRESTORE_EMULATOR_HOST: firestore.host as string,
        // Status reads the dead letters where the cloud keeps them: the hold subscriptions.
        PUBSUB_EMULATOR_HOST: pubsub.host as string,
      });
    });

    afterAll(async () => {
      await sims?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("sync records its run in Firestore, status reads it back, and no SQLite file is made", async () => {
      const sync = await runCli(["--state", "firestore", "sync", "--json"], env);
      expect(sync.stderr).toBe("");
      expect(sync.code).toBe(0);
      const run = JSON.parse(sync.stdout) as SyncRun;
      expect(run).toMatchObject({ status: "applied", applied: { creates: 47, adoptions: 1 } });

      const status = await runCli(["status", "--state", "firestore", "--json"], env);
      expect(status.code).toBe(0);
      const parsed = JSON.parse(status.stdout) as Gw3cxStatus;
      expect(parsed.runs.map((r) => r.runId)).toEqual([run.runId]);
      expect(parsed.managedUsers).toBe(48);
      expect(parsed.host).toBe("cloud");
      // This project has no hold subscriptions (infra was never applied): the status says so and still answers.
      expect(parsed.deadLetters).toEqual({ unavailable: expect.stringContaining("-dead-letter-hold") });
      expect(existsSync(join(dir, "state.db"))).toBe(false);
    });
  },
);
