/**
 * `gw3cx remove` after an `npm start`-style install: the local stack (webhook, Directory and
 * Calendar watch channels, first sync) runs against the simulators, `gw3cx storage apply` has
 * pointed 3CX's remote archiving at the bucket with an archiver key, and then the CLI removes it.
 */
import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { type LocalStack, startLocal } from "../../../shared/cli/start-local.js";
import type { RemovalItem } from "../../../shared/domain/remove/removal-item.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { ChannelStore } from "../../../shared/usecases/channels/channel-store.js";
import { type SecretManagerServer, startSecretManagerServer } from "../../standins/secret-manager/server.js";
import { capturedLogger } from "../../support/captured-logger.js";
import { eventually } from "../../support/stand-ins.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

const PROJECT = "acme-pbx";
const BUCKET = "acme-pbx-gw3cx-archive";
const ACCOUNT = `gw3cx-archiver@${PROJECT}.iam.gserviceaccount.com`;
const PERSON = "ada.lovelace.0@example.com";

let sims: DemoSimulators | undefined;
let sm: SecretManagerServer | undefined;
let stack: LocalStack | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stack?.close();
  await sims?.close();
  await sm?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  stack = undefined;
  sims = undefined;
  sm = undefined;
  dir = undefined;
});

interface Report {
  mode: string;
  items: RemovalItem[];
  leftInPlace: unknown[];
  after: Array<{ title: string; detail: string }>;
}

/** The demo installed: the local stack running with its channels, 3CX archiving to the bucket with a key. */
async function installed(options: { personalContacts?: boolean } = {}) {
  sims = await startDemoSimulators();
  const iam = sims.google.tenant.iamKeys;
  iam.addServiceAccount(PROJECT, "gw3cx-archiver");
  sm = await startSecretManagerServer();
  sm.service.createSecret(PROJECT, "gw3cx-archiver-key");
  const cli = cliSettingsFor(
    {
      ...sims,
      settings: {
        ...sims.settings,
        threecx: { ...(sims.settings.threecx as object), maxRetries: 0 },
        gcp: { projectId: PROJECT },
        storage: { remoteArchiving: true, bucket: BUCKET },
        transcription: { enabled: false, configurePbx: true, languageCode: "de-DE" },
        syncPersonalContacts: options.personalContacts ?? false,
      },
    },
    "gw3cx-remove-",
  );
  dir = cli.dir;
  const env = { ...cli.env, SECRET_MANAGER_EMULATOR_HOST: sm.host };
  stack = await startLocal({ env, logger: capturedLogger("remove-test", "warn").logger });
  const storage = await runCli(["storage", "apply"], env);
  expect(storage.code, storage.stderr).toBe(0);

  const s = sims;
  const tenant = s.google.tenant;
  const pbx = s.threecx.state;
  const state = stack.runtime.userSync.state;
  return {
    remove: async (...args: string[]) => {
      const result = await runCli(["remove", ...args], env);
      expect(`${result.stdout}${result.stderr}`).not.toContain("PRIVATE KEY");
      return result;
    },
    removeJson: async (mode: "plan" | "apply") => {
      const result = await runCli(["remove", mode, "--json"], env);
      return { code: result.code, stderr: result.stderr, report: JSON.parse(result.stdout) as Report };
    },
    liveChannels: () => tenant.channels.active(() => true),
    recordedChannels: async () => {
      const store = new ChannelStore(state);
      return [...(await store.ofKind("directory")), ...(await store.ofKind("calendar"))];
    },
    archiving: () => pbx.settings.RemoteArchivingSettings as Record<string, Record<string, unknown>>,
    voicemail: () => pbx.settings.VoicemailSettings,
    keys: () => iam.userKeys(ACCOUNT),
    pbxWrites: () =>
      (s.threecx.stats.requests.UpdateRemoteArchivingSettings ?? 0) +
      (s.threecx.stats.requests.UpdateVoicemailSettings ?? 0),
    deliveries: () => tenant.channels.deliveries.length,
    /** Changes the person's given name in Workspace; resolves with whether 3CX shows it within `waitMs`. */
    async changeReaches3cx(givenName: string, waitMs: number): Promise<boolean> {
      tenant.updateUser(PERSON, { givenName });
      const shown = await eventually(
        () => [...pbx.users.values()].find((u) => u.EmailAddress === PERSON)?.FirstName,
        (name) => name === givenName,
        waitMs,
      );
      return shown === givenName;
    },
    pbxFaults: s.threecx.faults,
    pbx,
  };
}

const statusOf = (items: RemovalItem[], area: RemovalItem["area"]) =>
  [...new Set(items.filter((i) => i.area === area).map((i) => i.status))].sort();

describe("gw3cx remove against the simulators", () => {
  it("plan changes nothing; apply stops every channel, switches archiving and the engine off, deletes the keys; again does nothing", async () => {
    const w = await installed();
    const live = w.liveChannels();
    expect(live.filter((c) => c.kind === "directory")).toHaveLength(4);
    expect(live.filter((c) => c.kind === "calendar").length).toBeGreaterThan(10);
    expect(w.keys()).toHaveLength(1);
    expect(await w.changeReaches3cx("Ada-before", 3_000)).toBe(true);

    const planned = await w.removeJson("plan");
    expect(planned.code).toBe(0);
    const plan = planned.report.items;
    expect(plan.filter((i) => i.area === "directory-channel" && i.status === "to-do")).toHaveLength(4);
    expect(statusOf(plan, "calendar-channel")).toEqual(["to-do"]);
    expect(plan.find((i) => i.area === "remote-archiving")).toMatchObject({ status: "to-do" });
    expect(plan.find((i) => i.area === "transcription-engine")).toMatchObject({ status: "to-do" });
    expect(plan.find((i) => i.area === "archiver-key")).toMatchObject({
      status: "to-do",
      target: `${w.keys()[0]?.id} of ${ACCOUNT}`,
    });
    // Nothing changed anywhere.
    expect(w.liveChannels()).toHaveLength(live.length);
    expect(await w.recordedChannels()).toHaveLength(live.length);
    expect(w.pbxWrites()).toBe(2); // storage apply's two
    expect(w.archiving().Recordings).toMatchObject({ Enabled: true });
    expect(w.keys()).toHaveLength(1);

    const applied = await w.remove("apply");
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Then, by hand:");
    expect(applied.stdout).toContain("cdktf destroy");
    expect(w.liveChannels()).toEqual([]);
    expect(await w.recordedChannels()).toEqual([]);
    for (const subsystem of ["Recordings", "Voicemails", "Chats", "Faxes", "Backups"]) {
      expect(w.archiving()[subsystem]).toMatchObject({ Enabled: false, Archiving: false });
    }
    expect(w.voicemail()).toMatchObject({ TranscribeEngine: "None" });
    expect(w.keys()).toEqual([]);

    // Google pushes nothing any more: a change stays in Workspace.
    const deliveries = w.deliveries();
    expect(await w.changeReaches3cx("Ada-after", 1_500)).toBe(false);
    expect(w.deliveries()).toBe(deliveries);

    const again = await w.removeJson("apply");
    expect(again.code).toBe(0);
    expect(again.report.items.filter((i) => i.status === "done" || i.status === "failed")).toEqual([]);
    expect(statusOf(again.report.items, "directory-channel")).toEqual(["already-gone"]);
    expect(statusOf(again.report.items, "archiver-key")).toEqual(["already-gone"]);
    expect(w.pbxWrites()).toBe(4);
  });

  it("a PBX that does not answer fails its items, reported, while the channels are still stopped and the keys deleted", async () => {
    const w = await installed();
    w.pbxFaults.add({ fault: "status503" });
    const failed = await w.removeJson("apply");
    expect(failed.code).toBe(1);
    const items = failed.report.items;
    expect(items.find((i) => i.area === "remote-archiving")).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/^THREECX_/),
    });
    expect(items.find((i) => i.area === "transcription-engine")?.status).toBe("failed");
    expect(statusOf(items, "directory-channel")).toEqual(["done"]);
    expect(statusOf(items, "calendar-channel")).toEqual(["done"]);
    expect(w.liveChannels()).toEqual([]);
    expect(w.keys()).toEqual([]);
    expect(w.archiving().Recordings).toMatchObject({ Enabled: true });

    // The PBX back: the next apply finishes what is left, and only that.
    w.pbxFaults.clear();
    const finished = await w.removeJson("apply");
    expect(finished.code).toBe(0);
    expect(finished.report.items.filter((i) => i.status === "done").map((i) => i.area)).toEqual([
      "remote-archiving",
      "transcription-engine",
    ]);
    expect(w.archiving().Recordings).toMatchObject({ Enabled: false, Archiving: false });
  });

  it("--contacts deletes the phonebook entries gw3cx wrote and never one a user typed", async () => {
    const w = await installed({ personalContacts: true });
    const google = () => [...w.pbx.contacts.values()].filter((c) => c.entity.ContactType === "Google");
    const owners = [...new Set(google().map((c) => c.owner))];
    expect(owners.length).toBeGreaterThan(0);
    const typed = w.pbx.createContact(owners[0] as string, { FirstName: "Typed", PhoneNumber: "+493012345" });

    // Without --contacts they stay, and the plan says so.
    const plain = await w.remove("plan");
    expect(plain.stdout).toContain("personal phonebook entries gw3cx wrote (ContactType Google)");
    const planned = await w.removeJson("plan");
    expect(planned.report.items.filter((i) => i.area === "personal-contacts")).toEqual([]);

    const applied = await w.remove("apply", "--contacts", "--json");
    expect(applied.code, applied.stderr).toBe(0);
    const items = (JSON.parse(applied.stdout) as Report).items.filter((i) => i.area === "personal-contacts");
    expect(items).toHaveLength(owners.length);
    expect(items.every((i) => i.status === "done")).toBe(true);
    expect(google()).toEqual([]);
    expect(w.pbx.contactsOf(owners[0] as string)).toEqual([typed]);

    const again = JSON.parse((await w.remove("apply", "--contacts", "--json")).stdout) as Report;
    expect(again.items.filter((i) => i.area === "personal-contacts")).toMatchObject([
      { status: "already-gone" },
    ]);
  });
});
