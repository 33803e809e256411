/**
 * What gw3cx sets on the PBX for storage: 3CX's remote archiving pointed at the archive bucket
 * (RemoteArchivingSettings) and, optionally, 3CX's own voicemail transcription set to Google
 * (VoicemailSettings). Field names are the XAPI's. A plan never holds key material: the key file
 * shows only as whether one is set, and as where a new one comes from.
 */

/** The archive folders, as gw3cx's settings name them; each is a prefix of the bucket. */
export const ARCHIVE_FOLDERS = ["recordings", "voicemails", "chats", "faxes", "backups"] as const;
export type ArchiveFolder = (typeof ARCHIVE_FOLDERS)[number];

/** The RemoteArchivingSettings subsystem that archives into each folder. */
export const ARCHIVE_SUBSYSTEM: Readonly<Record<ArchiveFolder, ArchiveSubsystemName>> = {
  recordings: "Recordings",
  voicemails: "Voicemails",
  chats: "Chats",
  faxes: "Faxes",
  backups: "Backups",
};
export type ArchiveSubsystemName = "Recordings" | "Voicemails" | "Chats" | "Faxes" | "Backups";

export type StorageArea = "archiving" | "transcription";
export type StorageResource = "RemoteArchivingSettings" | "VoicemailSettings";

export type StorageSettingReason =
  | "AS_WANTED"
  | "PBX_DEFAULT"
  | "EXISTING_KEPT"
  | "EXISTING_REPLACED"
  | "FOLLOWS_SETTINGS"
  | "KEY_MISSING";

export const STORAGE_SETTING_REASON_TEXT: Readonly<Record<StorageSettingReason, string>> = {
  AS_WANTED: "already as gw3cx wants it",
  PBX_DEFAULT: "not configured at the PBX; gw3cx configures it",
  EXISTING_KEPT: "3CX already has this configured; kept (--replace replaces it)",
  EXISTING_REPLACED: "an existing configuration is replaced (--replace)",
  FOLLOWS_SETTINGS: "gw3cx's own configuration, changed to follow the settings",
  KEY_MISSING: "gw3cx's bucket, but the PBX holds no key for it; a new key is written",
};

/** One field: what the PBX holds, what gw3cx wants, and whether applying writes it. */
export interface StorageSettingItem {
  area: StorageArea;
  resource: StorageResource;
  /** Dotted below the resource, e.g. "Location.GbPath", "Recordings.Enabled". */
  field: string;
  /** As the PBX shows it; the key file only as "(set)" or null. */
  current: string | boolean | null;
  /** The key file only as where it comes from. */
  desired: string | boolean | null;
  write: boolean;
  reason: StorageSettingReason;
}

/**
 * Where 3CX archives now: NOT_CONFIGURED (nothing is archived), OURS (the archive bucket, as the
 * settings want it), OURS_DIFFERENT (the archive bucket, other subsystems or folders), ELSEWHERE
 * (another location is in use).
 */
export type ArchivingState = "NOT_CONFIGURED" | "OURS" | "OURS_DIFFERENT" | "ELSEWHERE";

export interface ArchivingPlan {
  state: ArchivingState;
  /** What 3CX archives now and where, for the report. */
  current: {
    FileSystemType: string | null;
    /** The path of that location type (GbPath for a Google bucket, S3Path for S3, ...). */
    path: string | null;
    key: "(set)" | null;
    enabled: ArchiveSubsystemName[];
  };
  /** Applying writes a new key of the archiver account into Location.GbJson. */
  writesKey: boolean;
}

export type StorageProblemCode = "STORAGE_BUCKET_MISSING";

export interface StorageProblem {
  area: StorageArea;
  code: StorageProblemCode;
  message: string;
}

export interface StoragePlan {
  /** Null: storage.remoteArchiving is off, 3CX's remote archiving is left alone. */
  archiving: ArchivingPlan | null;
  items: StorageSettingItem[];
  problems: StorageProblem[];
}

export function storageWritesOf(plan: StoragePlan, resource: StorageResource): StorageSettingItem[] {
  return plan.items.filter((item) => item.resource === resource && item.write);
}
