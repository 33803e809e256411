import { describe, expect, it } from "vitest";
import {
  type ArchiveSubsystemView,
  planStorage,
  type RemoteArchivingView,
  type StorageWanted,
  type VoicemailView,
} from "../../../../shared/domain/storage/plan-storage.js";
import {
  ARCHIVE_FOLDERS,
  type ArchiveSubsystemName,
  type StoragePlan,
} from "../../../../shared/domain/storage/storage-plan.js";

const off: ArchiveSubsystemView = { Enabled: false, Archiving: false, Folder: null };
const on = (Folder: string): ArchiveSubsystemView => ({ Enabled: true, Archiving: true, Folder });
const subsystems = (
  over: Partial<Record<ArchiveSubsystemName, ArchiveSubsystemView>> = {},
): RemoteArchivingView["subsystems"] => ({
  Recordings: off,
  Voicemails: off,
  Chats: off,
  Faxes: off,
  Backups: off,
  ...over,
});
const factory: RemoteArchivingView = {
  FileSystemType: "Local",
  GbPath: null,
  otherPaths: {},
  hasKey: false,
  subsystems: subsystems(),
};
const ours: RemoteArchivingView = {
  FileSystemType: "GoogleBucket",
  GbPath: "acme-archive",
  otherPaths: {},
  hasKey: true,
  subsystems: subsystems({
    Recordings: on("recordings"),
    Voicemails: on("voicemails"),
    Chats: on("chats"),
    Faxes: on("faxes"),
    Backups: on("backups"),
  }),
};
const noEngine: VoicemailView = { TranscribeEngine: "None", TranscribeLanguage: null };
const KEY = "(new key of gw3cx-archiver@acme.iam.gserviceaccount.com)";
const wanted = (over: Partial<StorageWanted> = {}): StorageWanted => ({
  archiving: { bucket: "acme-archive", folders: ARCHIVE_FOLDERS, keyDescription: KEY },
  replace: false,
  ...over,
});
const plan = (archiving: RemoteArchivingView, w: StorageWanted, voicemail = noEngine) =>
  planStorage({ archiving, voicemail }, w);
const writes = (p: StoragePlan) =>
  Object.fromEntries(p.items.filter((i) => i.write).map((i) => [i.field, i.desired]));

describe("planStorage: remote archiving", () => {
  it("points a PBX that archives nowhere at the bucket: every chosen subsystem on, with its folder, and a new key", () => {
    const p = plan(
      factory,
      wanted({
        archiving: { bucket: "acme-archive", folders: ["recordings", "backups"], keyDescription: KEY },
      }),
    );
    expect(p.archiving).toMatchObject({ state: "NOT_CONFIGURED", writesKey: true });
    expect(writes(p)).toEqual({
      "Location.FileSystemType": "GoogleBucket",
      "Location.GbPath": "acme-archive",
      "Location.GbJson": KEY,
      "Recordings.Enabled": true,
      "Recordings.Archiving": true,
      "Recordings.Folder": "recordings",
      "Backups.Enabled": true,
      "Backups.Archiving": true,
      "Backups.Folder": "backups",
    });
    expect(p.problems).toEqual([]);
  });

  it("reports another location in use and changes nothing; --replace takes it over with a new key", () => {
    const sftp: RemoteArchivingView = {
      ...factory,
      FileSystemType: "Sftp",
      otherPaths: { SftpPath: "/srv/3cx" },
      hasKey: false,
      subsystems: subsystems({ Recordings: on("rec") }),
    };
    const kept = plan(sftp, wanted());
    expect(kept.archiving).toEqual({
      state: "ELSEWHERE",
      current: { FileSystemType: "Sftp", path: "/srv/3cx", key: null, enabled: ["Recordings"] },
      writesKey: false,
    });
    expect(writes(kept)).toEqual({});
    expect(kept.items.every((i) => i.reason === "EXISTING_KEPT")).toBe(true);

    const replaced = plan(sftp, wanted({ replace: true }));
    expect(replaced.archiving?.writesKey).toBe(true);
    expect(writes(replaced)).toMatchObject({
      "Location.FileSystemType": "GoogleBucket",
      "Recordings.Folder": "recordings",
      "Location.GbJson": KEY,
    });
  });

  it("another Google bucket counts as elsewhere; its key shows only as set", () => {
    const other = { ...ours, GbPath: "someone-elses-bucket" };
    const p = plan(other, wanted());
    expect(p.archiving?.state).toBe("ELSEWHERE");
    expect(p.archiving?.current).toMatchObject({ path: "someone-elses-bucket", key: "(set)" });
    expect(p.items.find((i) => i.field === "Location.GbJson")).toMatchObject({
      current: "(set)",
      write: false,
    });
  });

  it("the bucket as wanted is left alone, its key kept (gs:// and a trailing slash name the same bucket)", () => {
    for (const GbPath of ["acme-archive", "gs://acme-archive/"]) {
      const p = plan({ ...ours, GbPath }, wanted());
      expect(p.archiving?.state).toBe("OURS");
      expect(p.items.filter((i) => i.field !== "Location.GbPath").every((i) => !i.write)).toBe(true);
    }
    expect(writes(plan(ours, wanted()))).toEqual({});
  });

  it("our bucket with other subsystems is reported and kept; --replace follows the settings but keeps the key", () => {
    const fewer = wanted({
      archiving: { bucket: "acme-archive", folders: ["recordings"], keyDescription: KEY },
    });
    const kept = plan(ours, fewer);
    expect(kept.archiving?.state).toBe("OURS_DIFFERENT");
    expect(writes(kept)).toEqual({});
    const replaced = plan(ours, { ...fewer, replace: true });
    expect(replaced.archiving?.writesKey).toBe(false);
    expect(writes(replaced)).toEqual({
      "Voicemails.Enabled": false,
      "Voicemails.Archiving": false,
      "Chats.Enabled": false,
      "Chats.Archiving": false,
      "Faxes.Enabled": false,
      "Faxes.Archiving": false,
      "Backups.Enabled": false,
      "Backups.Archiving": false,
    });
  });

  it("our bucket without a key gets one", () => {
    const p = plan({ ...ours, hasKey: false }, wanted());
    expect(p.archiving).toMatchObject({ state: "OURS", writesKey: true });
    expect(writes(p)).toEqual({ "Location.GbJson": KEY });
  });

  it("without storage.bucket it is a problem and nothing is written; archiving off leaves it alone", () => {
    const p = plan(
      factory,
      wanted({ archiving: { bucket: undefined, folders: ARCHIVE_FOLDERS, keyDescription: KEY } }),
    );
    expect(p.problems.map((x) => x.code)).toEqual(["STORAGE_BUCKET_MISSING"]);
    expect(p.items).toEqual([]);
    const offPlan = plan(factory, { replace: false });
    expect(offPlan).toEqual({ archiving: null, items: [], problems: [] });
  });

  it("never carries key material: the key shows as set or as where the new one comes from", () => {
    const p = plan({ ...ours, GbPath: "x-bucket" }, wanted({ replace: true }));
    for (const item of p.items.filter((i) => i.field === "Location.GbJson")) {
      expect([null, "(set)", KEY]).toContain(item.current);
      expect([null, "(set)", KEY]).toContain(item.desired);
    }
  });
});

describe("planStorage: 3CX's own voicemail transcription", () => {
  const transcription = { languageCode: "de-DE" };
  const vm = (TranscribeEngine: string | null, TranscribeLanguage: string | null = null) => ({
    TranscribeEngine,
    TranscribeLanguage,
  });

  it("sets Google and the language where no engine is set", () => {
    const p = plan(factory, wanted({ archiving: undefined, transcription }), vm("None"));
    expect(writes(p)).toEqual({ TranscribeEngine: "Google", TranscribeLanguage: "de-DE" });
  });

  it("follows the language when Google is already the engine", () => {
    expect(
      writes(plan(factory, wanted({ archiving: undefined, transcription }), vm("Google", "en-US"))),
    ).toEqual({
      TranscribeLanguage: "de-DE",
    });
    expect(
      writes(plan(factory, wanted({ archiving: undefined, transcription }), vm("Google", "de-DE"))),
    ).toEqual({});
  });

  it("keeps another engine unless --replace", () => {
    const kept = plan(factory, wanted({ archiving: undefined, transcription }), vm("OpenAI", "en"));
    expect(writes(kept)).toEqual({});
    expect(kept.items.map((i) => i.reason)).toEqual(["EXISTING_KEPT", "EXISTING_KEPT"]);
    const replaced = plan(
      factory,
      wanted({ archiving: undefined, transcription, replace: true }),
      vm("OpenAI", "en"),
    );
    expect(writes(replaced)).toEqual({ TranscribeEngine: "Google", TranscribeLanguage: "de-DE" });
  });

  it("leaves voicemail settings alone when transcription.configurePbx is off", () => {
    expect(plan(factory, wanted({ archiving: undefined }), vm("OpenAI")).items).toEqual([]);
  });
});
