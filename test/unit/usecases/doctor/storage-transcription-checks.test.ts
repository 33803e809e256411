import { describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import { TranscriberError } from "../../../../shared/ports/transcriber.js";
import { storageChecks } from "../../../../shared/usecases/doctor/checks/storage-checks.js";
import { transcriptionChecks } from "../../../../shared/usecases/doctor/checks/transcription-checks.js";
import type { DoctorConfig, DoctorPorts } from "../../../../shared/usecases/doctor/doctor-ports.js";

const FOLDERS = ["recordings", "voicemails", "chats", "faxes", "backups"] as const;
const SUBSYSTEMS = ["Recordings", "Voicemails", "Chats", "Faxes", "Backups"] as const;

const config = (over: Partial<DoctorConfig> = {}): DoctorConfig => ({
  scopes: [],
  apis: [],
  threecxSecretHint: "",
  syncUsers: true,
  syncPersonalContacts: false,
  calendarPresence: false,
  checkTimeoutMs: 1000,
  remoteArchiving: { bucket: "acme-archive", folders: FOLDERS },
  ...over,
});

/** RemoteArchivingSettings as 3CX answers them: every subsystem to `folderOf`, or none enabled. */
function archiving(location: Record<string, unknown>, enabled: boolean) {
  const settings: Record<string, unknown> = { Id: 1, Location: location };
  SUBSYSTEMS.forEach((name, i) => {
    settings[name] = { Enabled: enabled, Archiving: enabled, Folder: enabled ? FOLDERS[i] : null };
  });
  return settings;
}

function portsWith(remote: Record<string, unknown>, extra: Partial<DoctorPorts> = {}): DoctorPorts {
  const answers: Record<string, unknown> = { RemoteArchivingSettings: remote, VoicemailSettings: { Id: 1 } };
  return {
    state: new SqliteStateStore(":memory:"),
    deadLetters: { summarize: async () => [] },
    clock: { now: () => new Date(), sleep: async () => {} },
    threecx: { getSettings: async (name: string) => answers[name] } as unknown as DoctorPorts["threecx"],
    ...extra,
  };
}

const KEY_FILE = { Concealed: true, Contents: null, Name: "gw3cx-archiver-key.json" };

describe("doctor: 3CX remote storage", () => {
  it("passes when 3CX archives every folder to the archive bucket", async () => {
    const ports = portsWith(
      archiving({ FileSystemType: "GoogleBucket", GbPath: "acme-archive", GbJson: KEY_FILE }, true),
    );
    const [result] = await storageChecks.run(ports, config());
    expect(result).toMatchObject({ name: "3cx-remote-storage", status: "pass" });
    expect(result?.found).toContain("acme-archive");
  });

  it("fails with the apply command when 3CX archives nowhere", async () => {
    const [result] = await storageChecks.run(portsWith(archiving({}, false)), config());
    expect(result).toMatchObject({ status: "fail", found: "3CX archives nowhere yet" });
    expect(result?.fix).toContain("gw3cx storage apply");
  });

  it("warns, naming the place, when 3CX archives somewhere else", async () => {
    const ports = portsWith(archiving({ FileSystemType: "Sftp", SftpPath: "/srv/3cx" }, true));
    const [result] = await storageChecks.run(ports, config());
    expect(result).toMatchObject({ status: "warn" });
    expect(result?.found).toContain("Sftp /srv/3cx");
    expect(result?.fix).toContain("--replace");
  });

  it("fails when the bucket is not set, and skips when remote archiving is off", async () => {
    const ports = portsWith(archiving({}, false));
    const [missing] = await storageChecks.run(
      ports,
      config({ remoteArchiving: { bucket: undefined, folders: FOLDERS } }),
    );
    expect(missing).toMatchObject({ status: "fail" });
    expect(missing?.found).toContain("storage.bucket");
    const { remoteArchiving: _off, ...withoutArchiving } = config();
    const [off] = await storageChecks.run(ports, withoutArchiving);
    expect(off).toMatchObject({ status: "skip" });
  });
});

describe("doctor: the local transcription engine", () => {
  it("passes when the engine's programs and model are there", async () => {
    const ports = portsWith(archiving({}, false), { localTranscriber: { probe: async () => {} } });
    const [result] = await transcriptionChecks.run(ports, config());
    expect(result).toMatchObject({ name: "transcription-engine", status: "pass" });
  });

  it("fails with the packages to install when a program is missing", async () => {
    const missing = new TranscriberError(
      "TRANSCRIBE_ENGINE_MISSING",
      "the local transcription engine needs ffmpeg",
    );
    const ports = portsWith(archiving({}, false), {
      localTranscriber: {
        probe: async () => {
          throw missing;
        },
      },
    });
    const [result] = await transcriptionChecks.run(ports, config());
    expect(result).toMatchObject({ status: "fail", found: "the local transcription engine needs ffmpeg" });
    expect(result?.fix).toContain("pocketsphinx-en-us");
  });

  it("is skipped where transcription does not run locally", async () => {
    const [result] = await transcriptionChecks.run(portsWith(archiving({}, false)), config());
    expect(result).toMatchObject({ status: "skip" });
  });
});
