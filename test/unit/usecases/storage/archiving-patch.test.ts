import { describe, expect, it } from "vitest";
import { KeyMaterial } from "../../../../shared/domain/storage/key-material.js";
import type { StorageSettingItem } from "../../../../shared/domain/storage/storage-plan.js";
import type { ThreeCxRemoteArchivingSettings } from "../../../../shared/ports/threecx.js";
import { archivingPatch } from "../../../../shared/usecases/storage/configure-storage.js";

const item = (field: string, desired: string | boolean | null): StorageSettingItem => ({
  area: "archiving",
  resource: "RemoteArchivingSettings",
  field,
  current: null,
  desired,
  write: true,
  reason: "PBX_DEFAULT",
});

const read: ThreeCxRemoteArchivingSettings = {
  Id: 1,
  Location: {
    FileSystemType: "Sftp",
    SftpPath: "/srv/a",
    GbJson: { Concealed: false, Contents: null, Name: null },
  },
  Recordings: { Enabled: false, Archiving: false, Folder: null, ScheduleDays: 30 },
  Chats: { Enabled: false, Archiving: false, Folder: null, ScheduleDays: 0 },
};

describe("archivingPatch", () => {
  it("sends each touched complex property whole, as read with the changes, and nothing else", () => {
    const patch = archivingPatch(
      read,
      [
        item("Location.FileSystemType", "GoogleBucket"),
        item("Recordings.Enabled", true),
        item("Recordings.Folder", "recordings"),
      ],
      undefined,
    );
    expect(patch).toEqual({
      Location: {
        FileSystemType: "GoogleBucket",
        SftpPath: "/srv/a",
        GbJson: { Concealed: false, Contents: null, Name: null },
      },
      Recordings: { Enabled: true, Archiving: false, Folder: "recordings", ScheduleDays: 30 },
    });
    // The read is not changed by building the patch.
    expect(read.Location?.FileSystemType).toBe("Sftp");
  });

  it("puts the key file's text into GbJson only when a key is given", () => {
    const key = new KeyMaterial('{"type":"service_account"}');
    expect(archivingPatch(read, [item("Location.GbJson", "(a new key)")], key).Location?.GbJson).toEqual({
      Contents: '{"type":"service_account"}',
      Name: "gw3cx-archiver-key.json",
    });
    expect(archivingPatch(read, [item("Location.GbJson", "(a new key)")]).Location?.GbJson).toEqual(
      read.Location?.GbJson,
    );
  });
});
