/**
 * A contacts run that loses its process shows as abandoned once its heartbeat lapses, as user sync
 * runs do: locally a `gw3cx contacts sync` killed mid-run; in the cloud a run whose messages no
 * worker handles (dead-lettered, or every worker died), while a worker busy on a slow user keeps it
 * alive however long that user takes.
 */
import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { fanOutContactRequests } from "../../../shared/usecases/contacts/fan-out-contact-requests.js";
import { handleContactsRequest } from "../../../shared/usecases/contacts/handle-contacts-request.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import { readLocalStatus } from "../../support/read-local-status.js";
import { cliSettingsFor, runCli, spawnCli } from "../cli/run-cli.js";
import { type ContactsWorld, labelled, person, startContactsWorld } from "./contacts-world.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe("gw3cx contacts sync killed mid-run", () => {
  let sims: DemoSimulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sims = await startDemoSimulators();
    ({ dir, env } = cliSettingsFor(sims, "gw3cx-contacts-abandoned-"));
    env = { ...env, GW3CX_SYNC_PERSONAL_CONTACTS: "true" };
    const linked = await runCli(["sync", "--json"], env);
    if (linked.code !== 0) throw new Error(`user sync failed: ${linked.stderr}`);
  }, 60_000);

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows as running while its process lives, then as abandoned in status (JSON, text) once the heartbeat lapses", async () => {
    const lapseMs = 1_500;
    // The PBX check that opens the run hangs: the run is recorded and stays mid-way.
    sims.threecx.resetStats();
    sims.threecx.faults.add({ operation: "GetSystemStatus", latencyMs: 60_000 });
    const child = spawnCli(["contacts", "sync", "--json"], {
      ...env,
      GW3CX_ABANDONED_RUN_AFTER_MS: String(lapseMs),
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const state = new SqliteStateStore(env.GW3CX_STATE_DB as string);
    try {
      await until(() => (sims.threecx.stats.requests.GetSystemStatus ?? 0) > 0, 20_000);
      await sleep(lapseMs * 2);
      const alive = (await readLocalStatus(state, new Date())).contacts;
      expect(alive).toMatchObject({ status: "running", heartbeatLapseMs: lapseMs });
      expect(Date.now() - Date.parse(alive?.heartbeatAt as string)).toBeLessThan(lapseMs);

      child.kill("SIGKILL");
      await exited;
      await sleep(lapseMs + 200);

      const json = await runCli(["status", "--json"], env);
      expect(json.code).toBe(0);
      const status = JSON.parse(json.stdout) as Gw3cxStatus;
      expect(status.contacts).toMatchObject({ runId: alive?.runId, status: "abandoned" });
      const section = status.sections.find((s) => s.id === "contacts");
      expect(section?.rows[0]?.[1]).toMatch(/^abandoned\n\(no sign of life since /);

      const text = await runCli(["status"], env);
      expect(text.stdout).toContain(alive?.runId);
      expect(text.stdout).toContain("no sign of life since");
      // Derived on reading: the stored record still says running.
      const stored = await state.get<Record<string, unknown>>("contactRuns", alive?.runId as string);
      expect(stored?.data.status).toBe("running");
    } finally {
      child.kill("SIGKILL");
      sims.threecx.faults.clear();
      await state.close();
    }
  }, 60_000);
});

describe("a fanned-out contacts run in the cloud", () => {
  let world: ContactsWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it("lapses to abandoned when no worker handles its users; a worker on a slow user keeps it running", async () => {
    const lapseMs = 600;
    world = await startContactsWorld([person("Ada", { contacts: [labelled("Grace")] })], {
      settings: { abandonedRunAfterMs: lapseMs },
    });
    const { runtime } = world;
    const ports = { ...runtime.contacts, bus: runtime.userSync.bus };
    const status = async () => (await readLocalStatus(runtime.contacts.state, new Date())).contacts;

    // Nobody subscribes: the requests are published and never handled.
    const run = await fanOutContactRequests(ports, runtime.contactsConfig);
    expect(run.status).toBe("running");
    expect(await status()).toMatchObject({ runId: run.runId, status: "running" });
    await sleep(lapseMs + 200);
    expect(await status()).toMatchObject({ runId: run.runId, status: "abandoned" });

    // A worker picks Ada up late, and her phonebook is slow: the run is alive again while it works.
    world.sims.threecx.faults.add({ operation: "GetContactsByNumber", latencyMs: lapseMs * 4 });
    const message = {
      id: "late-1",
      data: Buffer.from(
        JSON.stringify({ runId: run.runId, googleUserId: world.googleUserId("ada@example.com") }),
      ),
      attributes: {},
      deliveryAttempt: 1,
      publishTime: new Date(),
    };
    const handling = handleContactsRequest(message, ports, runtime.contactsConfig);
    await sleep(lapseMs * 2);
    expect(await status()).toMatchObject({ runId: run.runId, status: "running" });
    expect(await handling).toBe("ack");
    // Her result renewed it too; the admin's request is still unhandled, so it lapses again.
    expect(await status()).toMatchObject({ status: "running", users: { done: 1 } });
    await sleep(lapseMs + 200);
    expect(await status()).toMatchObject({ status: "abandoned" });
    expect(world.phonebook("ada@example.com")).toHaveLength(1);
  }, 60_000);
});
