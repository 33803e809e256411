import { describe, expect, it } from "vitest";
import {
  planArchivingRemoval,
  planTranscriptionRemoval,
} from "../../../../shared/domain/remove/plan-pbx-removal.js";
import type {
  ArchiveSubsystemView,
  RemoteArchivingView,
} from "../../../../shared/domain/storage/plan-storage.js";

const BUCKET = "acme-gw3cx-archive";
const off: ArchiveSubsystemView = { Enabled: false, Archiving: false, Folder: null };
const on = (folder: string): ArchiveSubsystemView => ({ Enabled: true, Archiving: true, Folder: folder });

function view(location: Partial<RemoteArchivingView>, recordings = on("recordings")): RemoteArchivingView {
  return {
    FileSystemType: "GoogleBucket",
    GbPath: BUCKET,
    otherPaths: {},
    hasKey: true,
    subsystems: { Recordings: recordings, Voicemails: off, Chats: off, Faxes: off, Backups: off },
    ...location,
  };
}

describe("planArchivingRemoval", () => {
  it("switches off archiving to gw3cx's bucket, however the path is written", () => {
    for (const GbPath of [BUCKET, `gs://${BUCKET}/`, ` ${BUCKET}`]) {
      expect(planArchivingRemoval(view({ GbPath }), BUCKET)).toMatchObject({
        status: "to-do",
        reason: `3CX archives Recordings to gw3cx's bucket ${BUCKET}`,
      });
    }
  });

  it("counts a subsystem with only Archiving on as archiving", () => {
    const item = planArchivingRemoval(view({}, { Enabled: false, Archiving: true, Folder: "r" }), BUCKET);
    expect(item.status).toBe("to-do");
  });

  it("leaves another bucket or another location type alone, and names where it archives", () => {
    expect(planArchivingRemoval(view({ GbPath: "someone-elses" }), BUCKET)).toMatchObject({
      status: "left",
      reason: `3CX archives Recordings to GoogleBucket (someone-elses), not to gw3cx's bucket ${BUCKET}: left as it is`,
    });
    expect(planArchivingRemoval(view({ FileSystemType: "Sftp", GbPath: null }), BUCKET)).toMatchObject({
      status: "left",
      reason: expect.stringContaining("to Sftp, not to gw3cx's bucket"),
    });
  });

  it("finds nothing to do when no subsystem archives, whatever the location says", () => {
    const idle = view({}, off);
    expect(planArchivingRemoval(idle, BUCKET)).toMatchObject({ status: "already-gone" });
    expect(planArchivingRemoval(idle, undefined)).toMatchObject({ status: "already-gone" });
  });

  it("without a known bucket, a Google bucket location cannot be judged and is a failure to look at", () => {
    expect(planArchivingRemoval(view({}), undefined)).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("cannot tell whether that is its bucket"),
    });
    expect(planArchivingRemoval(view({ FileSystemType: "AmazonS3" }), undefined).status).toBe("left");
  });
});

describe("planTranscriptionRemoval", () => {
  it("sets Google back to None only when gw3cx claims the engine", () => {
    expect(
      planTranscriptionRemoval({ TranscribeEngine: "Google", TranscribeLanguage: "de-DE" }, true),
    ).toMatchObject({ status: "to-do", action: "set it to None" });
    expect(
      planTranscriptionRemoval({ TranscribeEngine: "Google", TranscribeLanguage: null }, false),
    ).toMatchObject({
      status: "left",
      reason: expect.stringContaining("transcription.configurePbx is off"),
    });
  });

  it("leaves an engine gw3cx never sets, and finds nothing to do without one", () => {
    expect(
      planTranscriptionRemoval({ TranscribeEngine: "Whisper", TranscribeLanguage: "en" }, true),
    ).toMatchObject({
      status: "left",
      reason: "3CX transcribes with Whisper, which gw3cx never sets: left",
    });
    for (const TranscribeEngine of ["None", null]) {
      expect(planTranscriptionRemoval({ TranscribeEngine, TranscribeLanguage: null }, true).status).toBe(
        "already-gone",
      );
    }
  });
});
