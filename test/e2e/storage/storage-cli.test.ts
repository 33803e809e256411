import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { demoThreeCxSeed } from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";
import { type SecretManagerServer, startSecretManagerServer } from "../../standins/secret-manager/server.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

const PROJECT = "acme-pbx";
const BUCKET = "acme-pbx-gw3cx-archive";
const SECRET = "gw3cx-archiver-key";
const ACCOUNT = `gw3cx-archiver@${PROJECT}.iam.gserviceaccount.com`;

let sims: DemoSimulators | undefined;
let sm: SecretManagerServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sims?.close();
  await sm?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sims = undefined;
  sm = undefined;
});

interface Location {
  FileSystemType?: string;
  GbPath?: string | null;
  GbJson?: { Contents?: string | null; Name?: string | null };
}

/** The CLI on fresh simulators, an archiver account and its (empty) secret, as infra leaves them. */
async function setUp(pbxSettings: ThreeCxSeed["settings"] = {}, storage: Record<string, unknown> = {}) {
  sims = await startDemoSimulators({ threecx: { ...demoThreeCxSeed(), settings: pbxSettings } });
  const iam = sims.google.tenant.iamKeys;
  iam.addServiceAccount(PROJECT, "gw3cx-archiver");
  sm = await startSecretManagerServer();
  sm.service.createSecret(PROJECT, SECRET);
  const threecx = { ...(sims.settings.threecx as object), maxRetries: 0 };
  const cli = cliSettingsFor(
    {
      ...sims,
      settings: {
        ...sims.settings,
        threecx,
        gcp: { projectId: PROJECT },
        storage: { remoteArchiving: true, bucket: BUCKET, ...storage },
        transcription: { configurePbx: true, languageCode: "de-DE" },
      },
    },
    "gw3cx-storage-",
  );
  dir = cli.dir;
  const env = { ...cli.env, SECRET_MANAGER_EMULATOR_HOST: sm.host };
  const state = sims.threecx.state;
  const secrets = sm.service;
  return {
    run: async (...args: string[]) => {
      // --verbose: the log lines go to stderr too, so they are checked with the output.
      const result = await runCli(["--verbose", "storage", ...args], env);
      // Whatever happened, no key material is printed.
      expect(`${result.stdout}${result.stderr}`).not.toContain("PRIVATE KEY");
      return result;
    },
    sims,
    iam,
    location: () => state.settings.RemoteArchivingSettings.Location as Location,
    archiving: () => state.settings.RemoteArchivingSettings as Record<string, Record<string, unknown>>,
    voicemail: () => state.settings.VoicemailSettings,
    keys: () => iam.userKeys(ACCOUNT),
    versions: () => secrets.versionsOf(PROJECT, SECRET),
    secrets,
  };
}

type World = Awaited<ReturnType<typeof setUp>>;

/** 3CX holds a key that IAM still has, and the same file is Secret Manager's newest enabled version. */
function expectWorkingKey(world: World): string {
  const held = world.location().GbJson?.Contents ?? "";
  const keyId = (JSON.parse(held) as { private_key_id: string }).private_key_id;
  expect(world.keys().map((k) => k.id)).toContain(keyId);
  expect(world.keys().find((k) => k.id === keyId)?.keyFile).toBe(held);
  const enabled = world.versions().filter((v) => v.state === "ENABLED");
  expect(enabled.at(-1)?.payload?.toString("utf8")).toBe(held);
  return keyId;
}

describe("gw3cx storage against the simulators", () => {
  it("plan makes no key and writes nothing; apply points an empty PBX at the bucket with a new key; again changes nothing", async () => {
    const w = await setUp();
    const planned = await w.run("plan", "--json");
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout);
    expect(plan.archiving).toMatchObject({ state: "NOT_CONFIGURED", writesKey: true });
    expect(plan.items.find((i: { field: string }) => i.field === "Location.GbJson").desired).toContain(
      ACCOUNT,
    );
    expect(w.keys()).toEqual([]);
    expect(w.sims.threecx.stats.requests.UpdateRemoteArchivingSettings ?? 0).toBe(0);

    const applied = await w.run("apply");
    expect(applied.stderr).not.toContain("ERROR");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/New archiver key [0-9a-f]{40} written into 3CX/);
    expect(w.location()).toMatchObject({ FileSystemType: "GoogleBucket", GbPath: BUCKET });
    expect(w.archiving().Recordings).toMatchObject({ Enabled: true, Archiving: true, Folder: "recordings" });
    expect(w.archiving().Backups).toMatchObject({ Enabled: true, Folder: "backups" });
    expect(w.voicemail()).toMatchObject({ TranscribeEngine: "Google", TranscribeLanguage: "de-DE" });
    const keyId = expectWorkingKey(w);
    expect(w.keys()).toHaveLength(1);

    const again = await w.run("apply", "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ archiving: { state: "OURS" }, applied: [], key: null });
    expect(w.keys().map((k) => k.id)).toEqual([keyId]);
  });

  it("existing remote storage is reported and kept; --replace points it at the bucket", async () => {
    const sftp = {
      RemoteArchivingSettings: {
        Location: { FileSystemType: "Sftp", SftpPath: "/srv/pbx-archive" },
        Recordings: { Enabled: true, Archiving: true, Folder: "rec" },
      },
      VoicemailSettings: { TranscribeEngine: "Whisper", TranscribeLanguage: "en" },
    } as ThreeCxSeed["settings"];
    const w = await setUp(sftp);
    const kept = await w.run("apply");
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(
      "3CX already has remote storage configured: Recordings to Sftp (/srv/pbx-archive)",
    );
    expect(kept.stdout).toContain("0 settings written");
    expect(w.location()).toMatchObject({ FileSystemType: "Sftp" });
    expect(w.voicemail()).toMatchObject({ TranscribeEngine: "Whisper" });
    expect(w.keys()).toEqual([]);
    expect(w.versions()).toEqual([]);

    const replaced = await w.run("apply", "--replace");
    expect(replaced.code).toBe(0);
    expect(w.location()).toMatchObject({ FileSystemType: "GoogleBucket", GbPath: BUCKET });
    expect(w.archiving().Recordings).toMatchObject({ Enabled: true, Folder: "recordings" });
    expect(w.voicemail()).toMatchObject({ TranscribeEngine: "Google", TranscribeLanguage: "de-DE" });
    expectWorkingKey(w);
  });

  it("rotate-key: 3CX holds the new key, the old key is deleted and its secret version disabled", async () => {
    const w = await setUp();
    expect((await w.run("apply")).code).toBe(0);
    const oldKey = expectWorkingKey(w);

    const rotated = await w.run("rotate-key", "--json");
    expect(rotated.stderr).toContain("archiverKeyRetired");
    expect(rotated.code).toBe(0);
    const report = JSON.parse(rotated.stdout);
    const newKey = expectWorkingKey(w);
    expect(newKey).not.toBe(oldKey);
    expect(report).toMatchObject({ keyId: newKey, retired: { keyIds: [oldKey] }, notRetired: [] });
    expect(w.keys().map((k) => k.id)).toEqual([newKey]);
    expect(w.versions().map((v) => v.state)).toEqual(["DISABLED", "ENABLED"]);
    // Only the key changed at the PBX.
    expect(w.location()).toMatchObject({ FileSystemType: "GoogleBucket", GbPath: BUCKET });
  });

  it("rotate-key refuses where 3CX archives elsewhere, and makes no key", async () => {
    const w = await setUp({
      RemoteArchivingSettings: { Location: { FileSystemType: "AmazonS3", S3Path: "s3://x" } },
    } as ThreeCxSeed["settings"]);
    const refused = await w.run("rotate-key");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("STORAGE_NOT_OURS");
    expect(w.keys()).toEqual([]);
  });

  it("an organization policy that forbids keys is named, with the README, and nothing changes", async () => {
    const w = await setUp();
    w.iam.keyCreationDisabled.add(PROJECT);
    const refused = await w.run("apply");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("KEY_CREATION_FORBIDDEN");
    expect(refused.stderr).toContain("constraints/iam.disableServiceAccountKeyCreation");
    expect(refused.stderr).toContain("README");
    expect(w.location()).toMatchObject({ FileSystemType: "Local" });
    expect(w.versions()).toEqual([]);
  });

  it("a fault between key creation and the 3CX write never leaves 3CX without a working key", async () => {
    const w = await setUp();
    expect((await w.run("apply")).code).toBe(0);
    const oldKey = expectWorkingKey(w);
    const oldFile = w.location().GbJson?.Contents;
    const held = () => JSON.parse(w.location().GbJson?.Contents ?? "{}").private_key_id as string;

    // Secret Manager fails before 3CX is asked: the new key is deleted, 3CX keeps the old one.
    w.secrets.faults.set("AddSecretVersion", 14);
    const unavailable = await w.run("rotate-key");
    expect(unavailable.code).toBe(1);
    expect(unavailable.stderr).toContain("SECRET_UNAVAILABLE");
    expect(w.keys().map((k) => k.id)).toEqual([oldKey]);
    expect(w.location().GbJson?.Contents).toBe(oldFile);

    // 3CX answers 503 (not applied): it may or may not hold the new key, so both are kept and both work.
    w.sims.threecx.faults.add({ operation: "UpdateRemoteArchivingSettings", fault: "status503", times: 1 });
    const failed = await w.run("rotate-key");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("ARCHIVER_KEY_UNCONFIRMED");
    expect(w.location().GbJson?.Contents).toBe(oldFile);
    expect(w.keys().map((k) => k.id)).toContain(oldKey);
    expect(w.keys()).toHaveLength(2);

    // 3CX applies the write but the answer is lost: it holds the new key, which must not be deleted.
    w.sims.threecx.faults.add({
      operation: "UpdateRemoteArchivingSettings",
      fault: "lostResponse",
      times: 1,
    });
    const lost = await w.run("rotate-key");
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain("ARCHIVER_KEY_UNCONFIRMED");
    expect(held()).not.toBe(oldKey);
    expect(w.keys().map((k) => k.id)).toContain(held());

    // The next rotation settles it: one key, the one 3CX holds, the newest enabled secret version.
    const settled = await w.run("rotate-key");
    expect(settled.code).toBe(0);
    expect(w.keys().map((k) => k.id)).toEqual([expectWorkingKey(w)]);
    expect(w.versions().filter((v) => v.state === "ENABLED")).toHaveLength(1);
  });
});
