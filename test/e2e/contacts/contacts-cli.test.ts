import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { ContactRun } from "../../../shared/usecases/contacts/contact-run-store.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

/** The demo organisation (labelled contacts for its first two users) through the real `gw3cx` bin. */
describe("gw3cx contacts / sync / status with personal contacts", () => {
  let sims: DemoSimulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const allContacts = () => [...sims.threecx.state.contacts.values()].map((r) => r.entity);

  beforeAll(async () => {
    sims = await startDemoSimulators();
    ({ dir, env } = cliSettingsFor(sims, "gw3cx-contacts-cli-"));
  });

  afterAll(async () => {
    await sims?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sync runs contacts after users: the labelled contacts land, typed Google, overflow reported", async () => {
    const result = await runCli(["sync", "--json"], env);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as { status: string; contacts: ContactRun };
    expect(run.status).toBe("applied");
    expect(run.contacts.status).toBe("applied");
    expect(run.contacts.contacts).toMatchObject({ created: 3, overflow: 2 });
    expect(
      allContacts()
        .map((c) => c.LastName)
        .sort(),
    ).toEqual(["Hopper", "Johnson", "Turing"]);
    expect(allContacts().every((c) => c.ContactType === "Google")).toBe(true);
  });

  it("contacts plan --user writes nothing and shows no changes once in step", async () => {
    const before = allContacts().length;
    const email = "ada.lovelace.0@example.com";
    const result = await runCli(["contacts", "plan", "--user", email, "--json"], env);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as ContactRun;
    expect(run).toMatchObject({ status: "planned", usersExpected: 1 });
    expect(run.contacts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 2 });
    expect(allContacts()).toHaveLength(before);
  });

  it("contacts sync applies a Google change; text output names the counts", async () => {
    const [ada] = [
      ...sims.google.tenant.contacts
        .of(sims.google.tenant.directory.require("ada.lovelace.0@example.com").id)
        .contacts.values(),
    ];
    sims.google.tenant.updateContact("ada.lovelace.0@example.com", ada?.resourceName as string, {
      jobTitle: "Admiral",
    });
    const result = await runCli(["contacts", "sync"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Contacts: 1 updated; \d+ unchanged/);
    expect(allContacts().find((c) => c.LastName === "Hopper")?.Title).toBe("Admiral");
  });

  it("contacts sync --user for someone gw3cx does not manage fails with the reason", async () => {
    const result = await runCli(["contacts", "sync", "--user", "nobody@example.com", "--json"], env);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as ContactRun).error?.code).toBe("CONTACTS_USER_NOT_SYNCED");
  });

  it("status shows the last contacts run, as text and JSON", async () => {
    const json = await runCli(["status", "--json"], env);
    const status = JSON.parse(json.stdout) as Gw3cxStatus;
    expect(status.contacts?.status).toBe("failed");
    const sync = await runCli(["contacts", "sync"], env);
    expect(sync.code).toBe(0);
    const text = await runCli(["status"], env);
    expect(text.stdout).toMatch(/Last personal contacts run \(1\):/);
    expect(text.stdout).toContain("applied");
  });
});
