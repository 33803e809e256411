import {
  ARCHIVE_FOLDERS,
  ARCHIVE_SUBSYSTEM,
  type ArchiveFolder,
  type ArchiveSubsystemName,
  type ArchivingPlan,
  type ArchivingState,
  type StoragePlan,
  type StorageProblem,
  type StorageSettingItem,
  type StorageSettingReason,
} from "./storage-plan.js";

export interface ArchiveSubsystemView {
  Enabled: boolean | null;
  Archiving: boolean | null;
  Folder: string | null;
}

/** RemoteArchivingSettings as read from the PBX; the key file only as whether one is set. */
export interface RemoteArchivingView {
  FileSystemType: string | null;
  GbPath: string | null;
  /** The path field of the other location types, for the report. */
  otherPaths: Partial<Record<string, string | null>>;
  hasKey: boolean;
  subsystems: Record<ArchiveSubsystemName, ArchiveSubsystemView>;
}

export interface VoicemailView {
  TranscribeEngine: string | null;
  TranscribeLanguage: string | null;
}

export interface StorageWanted {
  /** storage.remoteArchiving: point 3CX at the bucket. Undefined: archiving is left alone. */
  archiving?: {
    /** storage.bucket; undefined is a problem. */
    bucket: string | undefined;
    folders: readonly ArchiveFolder[];
    /** How the new key shows in a plan, e.g. "(new key of gw3cx-archiver@...)". */
    keyDescription: string;
  };
  /** transcription.configurePbx: 3CX's own voicemail transcription through Google. */
  transcription?: { languageCode: string };
  replace: boolean;
}

/** The 3CX transcription engine gw3cx sets. */
export const PBX_TRANSCRIBE_ENGINE = "Google";

const PATH_FIELD: Readonly<Record<string, string>> = {
  GoogleBucket: "GbPath",
  AmazonS3: "S3Path",
  Ftp: "FtpPath",
  Sftp: "SftpPath",
  NetworkShare: "NsPath",
  SharePoint: "SharePointPath",
  Local: "LocalPath",
};

/** "gs://name/" and "name" name the same bucket. */
const bucketOf = (path: string | null) =>
  (path ?? "")
    .trim()
    .replace(/^gs:\/\//i, "")
    .replace(/\/+$/, "");

/**
 * Decides what gw3cx writes to the PBX's storage settings. Pure. 3CX already archiving somewhere
 * (another location, or the archive bucket with other subsystems or folders) is reported and kept
 * unless `replace`; each area is written whole or not at all.
 */
export function planStorage(
  current: { archiving: RemoteArchivingView; voicemail: VoicemailView },
  wanted: StorageWanted,
): StoragePlan {
  const items: StorageSettingItem[] = [];
  const problems: StorageProblem[] = [];
  let archiving: ArchivingPlan | null = null;
  if (wanted.archiving) {
    archiving = planArchiving(current.archiving, wanted.archiving, wanted.replace, items, problems);
  }
  if (wanted.transcription) planTranscription(current.voicemail, wanted.transcription, wanted.replace, items);
  return { archiving, items, problems };
}

function planArchiving(
  pbx: RemoteArchivingView,
  wanted: NonNullable<StorageWanted["archiving"]>,
  replace: boolean,
  items: StorageSettingItem[],
  problems: StorageProblem[],
): ArchivingPlan {
  const enabled = (Object.keys(pbx.subsystems) as ArchiveSubsystemName[]).filter(
    (name) => pbx.subsystems[name].Enabled === true,
  );
  const type = pbx.FileSystemType;
  const pathField = type ? PATH_FIELD[type] : undefined;
  const report: ArchivingPlan["current"] = {
    FileSystemType: type,
    path: type === "GoogleBucket" ? pbx.GbPath : pathField ? (pbx.otherPaths[pathField] ?? null) : null,
    key: pbx.hasKey ? "(set)" : null,
    enabled,
  };
  if (!wanted.bucket) {
    problems.push({
      area: "archiving",
      code: "STORAGE_BUCKET_MISSING",
      message:
        "storage.remoteArchiving is on but storage.bucket is not set: set it to the bucket infra made (Terraform output archive_bucket)",
    });
    return { state: enabled.length > 0 ? "ELSEWHERE" : "NOT_CONFIGURED", current: report, writesKey: false };
  }
  const bucket = wanted.bucket;
  const ours = type === "GoogleBucket" && bucketOf(pbx.GbPath) === bucket;

  // Every subsystem: on with its folder when chosen, off otherwise.
  const subsystemFields: Array<[string, string | boolean | null, string | boolean | null]> = [];
  for (const folder of ARCHIVE_FOLDERS) {
    const name = ARCHIVE_SUBSYSTEM[folder];
    const now = pbx.subsystems[name];
    const on = wanted.folders.includes(folder);
    subsystemFields.push([`${name}.Enabled`, now.Enabled, on]);
    subsystemFields.push([`${name}.Archiving`, now.Archiving, on]);
    if (on) subsystemFields.push([`${name}.Folder`, now.Folder, folder]);
  }
  const sameAsWanted = subsystemFields.every(([, now, want]) => (now ?? false) === want);

  const state: ArchivingState =
    enabled.length === 0 ? "NOT_CONFIGURED" : !ours ? "ELSEWHERE" : sameAsWanted ? "OURS" : "OURS_DIFFERENT";
  const reason: StorageSettingReason =
    state === "NOT_CONFIGURED"
      ? "PBX_DEFAULT"
      : state === "OURS"
        ? pbx.hasKey
          ? "AS_WANTED"
          : "KEY_MISSING"
        : replace
          ? "EXISTING_REPLACED"
          : "EXISTING_KEPT";
  const writing = reason !== "AS_WANTED" && reason !== "EXISTING_KEPT";
  // A location written anew needs a key; gw3cx's own bucket keeps the key it has (rotate-key renews it).
  const writesKey = writing && (!ours || !pbx.hasKey);

  const push = (field: string, now: string | boolean | null, want: string | boolean | null, write: boolean) =>
    items.push({
      area: "archiving",
      resource: "RemoteArchivingSettings",
      field,
      current: now,
      desired: want,
      write,
      reason: write || !writing ? reason : "AS_WANTED",
    });
  push("Location.FileSystemType", type, "GoogleBucket", writing && type !== "GoogleBucket");
  push("Location.GbPath", pbx.GbPath, bucket, writing && pbx.GbPath !== bucket);
  // What gw3cx wants there, also when it is kept: a key of its own unless 3CX holds one for the bucket.
  const wantsNewKey = !ours || !pbx.hasKey;
  push("Location.GbJson", report.key, wantsNewKey ? wanted.keyDescription : report.key, writesKey);
  for (const [field, now, want] of subsystemFields)
    push(field, now, want, writing && (now ?? false) !== want);
  return { state, current: report, writesKey };
}

function planTranscription(
  voicemail: VoicemailView,
  wanted: NonNullable<StorageWanted["transcription"]>,
  replace: boolean,
  items: StorageSettingItem[],
): void {
  const engine = voicemail.TranscribeEngine;
  const none = engine === null || engine === "None";
  const ours = engine === PBX_TRANSCRIBE_ENGINE;
  const languageDiffers = (voicemail.TranscribeLanguage ?? "") !== wanted.languageCode;
  const reason: StorageSettingReason = none
    ? "PBX_DEFAULT"
    : ours
      ? languageDiffers
        ? "FOLLOWS_SETTINGS"
        : "AS_WANTED"
      : replace
        ? "EXISTING_REPLACED"
        : "EXISTING_KEPT";
  const writing = reason !== "AS_WANTED" && reason !== "EXISTING_KEPT";
  const push = (field: string, now: string | null, want: string, write: boolean) =>
    items.push({
      area: "transcription",
      resource: "VoicemailSettings",
      field,
      current: now,
      desired: want,
      write,
      reason: write || !writing ? reason : "AS_WANTED",
    });
  push("TranscribeEngine", engine, PBX_TRANSCRIBE_ENGINE, writing && !ours);
  push("TranscribeLanguage", voicemail.TranscribeLanguage, wanted.languageCode, writing && languageDiffers);
}
