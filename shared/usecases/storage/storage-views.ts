import type { RemoteArchivingView, VoicemailView } from "../../domain/storage/plan-storage.js";
import {
  ARCHIVE_FOLDERS,
  ARCHIVE_SUBSYSTEM,
  type ArchiveSubsystemName,
} from "../../domain/storage/storage-plan.js";
import type {
  ThreeCxArchiveSubsystem,
  ThreeCxRemoteArchivingSettings,
  ThreeCxVoicemailSettings,
} from "../../ports/threecx.js";

/** RemoteArchivingSettings as the plan reads them: the key file only as whether one is set. */
export function remoteArchivingView(settings: ThreeCxRemoteArchivingSettings): RemoteArchivingView {
  const location = settings.Location ?? {};
  const subsystem = (value: ThreeCxArchiveSubsystem | undefined) => ({
    Enabled: value?.Enabled ?? null,
    Archiving: value?.Archiving ?? null,
    Folder: value?.Folder ?? null,
  });
  const subsystems = Object.fromEntries(
    ARCHIVE_FOLDERS.map((folder) => {
      const name = ARCHIVE_SUBSYSTEM[folder];
      return [name, subsystem(settings[name])];
    }),
  ) as RemoteArchivingView["subsystems"];
  return {
    FileSystemType: location.FileSystemType ?? null,
    GbPath: location.GbPath ?? null,
    otherPaths: {
      LocalPath: location.LocalPath ?? null,
      S3Path: location.S3Path ?? null,
      FtpPath: location.FtpPath ?? null,
      SftpPath: location.SftpPath ?? null,
      NsPath: location.NsPath ?? null,
      SharePointPath: location.SharePointPath ?? null,
    },
    hasKey: location.GbJson?.Concealed === true,
    subsystems,
  };
}

export function voicemailView(settings: ThreeCxVoicemailSettings): VoicemailView {
  return {
    TranscribeEngine: settings.TranscribeEngine ?? null,
    TranscribeLanguage: settings.TranscribeLanguage ?? null,
  };
}

export const SUBSYSTEM_NAMES: readonly ArchiveSubsystemName[] = ARCHIVE_FOLDERS.map(
  (f) => ARCHIVE_SUBSYSTEM[f],
);
