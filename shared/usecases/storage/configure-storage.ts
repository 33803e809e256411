import {
  ARCHIVER_KEY_FILE_NAME,
  ARCHIVER_SECRET_ID,
  archiverAccountEmail,
} from "../../domain/storage/archiver-key.js";
import type { KeyMaterial } from "../../domain/storage/key-material.js";
import { planStorage } from "../../domain/storage/plan-storage.js";
import {
  type ArchiveFolder,
  type StoragePlan,
  type StorageSettingItem,
  storageWritesOf,
} from "../../domain/storage/storage-plan.js";
import type { Logger } from "../../logging/logger.js";
import type { SecretVersions } from "../../ports/secret-versions.js";
import type { ServiceAccountKeys } from "../../ports/service-account-keys.js";
import type {
  ThreeCx,
  ThreeCxRemoteArchivingSettings,
  ThreeCxVoicemailSettings,
} from "../../ports/threecx.js";
import { type InstalledArchiverKey, installArchiverKey } from "./install-archiver-key.js";
import { remoteArchivingView, voicemailView } from "./storage-views.js";

export interface StoragePorts {
  threecx: Pick<ThreeCx, "getSettings" | "updateSettings">;
  /** Asked only when a key is made: a plan needs no Google credentials. */
  keys: ServiceAccountKeys;
  secrets: SecretVersions;
  logger: Logger;
}

export interface StorageConfig {
  /** storage.remoteArchiving; undefined leaves 3CX's remote archiving alone. */
  archiving?: { projectId: string; bucket: string | undefined; folders: readonly ArchiveFolder[] };
  /** transcription.configurePbx */
  transcription?: { languageCode: string };
}

export interface StorageOutcome {
  plan: StoragePlan;
  /** Fields written, by resource; empty for a plan. */
  applied: { resource: string; field: string }[];
  /** The key made and handed to 3CX, when one was (its id and secret version, never its contents). */
  key?: InstalledArchiverKey;
}

/**
 * Reads RemoteArchivingSettings and VoicemailSettings, plans, and unless `dryRun` applies: one
 * PATCH per resource with the fields the plan writes. A new key goes into the same PATCH as the
 * location it is for, made and retired in the safe order of installArchiverKey.
 */
export async function configureStorage(
  ports: StoragePorts,
  config: StorageConfig,
  options: { dryRun: boolean; replace: boolean },
): Promise<StorageOutcome> {
  const [archivingNow, voicemailNow] = await Promise.all([
    ports.threecx.getSettings("RemoteArchivingSettings"),
    ports.threecx.getSettings("VoicemailSettings"),
  ]);
  const accountEmail = config.archiving ? archiverAccountEmail(config.archiving.projectId) : undefined;
  const plan = planStorage(
    { archiving: remoteArchivingView(archivingNow), voicemail: voicemailView(voicemailNow) },
    {
      ...(config.archiving
        ? {
            archiving: {
              bucket: config.archiving.bucket,
              folders: config.archiving.folders,
              keyDescription: `(a new key of ${accountEmail}, kept in Secret Manager ${ARCHIVER_SECRET_ID})`,
            },
          }
        : {}),
      ...(config.transcription ? { transcription: config.transcription } : {}),
      replace: options.replace,
    },
  );
  ports.logger.event("storagePlanned", {
    state: plan.archiving?.state ?? "off",
    writes: plan.items.filter((item) => item.write).map((item) => `${item.resource}.${item.field}`),
    problems: plan.problems.map((problem) => problem.code),
  });
  if (options.dryRun) return { plan, applied: [] };

  const applied: StorageOutcome["applied"] = [];
  let key: InstalledArchiverKey | undefined;
  const archivingWrites = storageWritesOf(plan, "RemoteArchivingSettings");
  if (archivingWrites.length > 0) {
    const write = (keyFile?: KeyMaterial) =>
      ports.threecx.updateSettings(
        "RemoteArchivingSettings",
        archivingPatch(archivingNow, archivingWrites, keyFile),
      );
    if (plan.archiving?.writesKey && accountEmail) {
      key = await installArchiverKey(ports, { accountEmail, secretId: ARCHIVER_SECRET_ID }, write);
    } else {
      await write();
    }
    applied.push(...archivingWrites.map(({ resource, field }) => ({ resource, field })));
  }
  const voicemailWrites = storageWritesOf(plan, "VoicemailSettings");
  if (voicemailWrites.length > 0) {
    await ports.threecx.updateSettings("VoicemailSettings", voicemailPatch(voicemailWrites));
    applied.push(...voicemailWrites.map(({ resource, field }) => ({ resource, field })));
  }
  if (applied.length > 0) ports.logger.event("storageApplied", { fields: applied.map((a) => a.field) });
  return { plan, applied, ...(key ? { key } : {}) };
}

/**
 * The PATCH for RemoteArchivingSettings: each complex property it touches (Location, a subsystem)
 * is sent whole, as read with the changes applied, so the result is the same whether a PBX merges
 * or replaces complex properties. A concealed key file read back keeps the stored key.
 */
export function archivingPatch(
  current: ThreeCxRemoteArchivingSettings,
  writes: readonly StorageSettingItem[],
  keyFile?: KeyMaterial,
): ThreeCxRemoteArchivingSettings {
  const patch: Record<string, Record<string, unknown>> = {};
  for (const { field, desired } of writes) {
    const [property, member] = field.split(".") as [keyof ThreeCxRemoteArchivingSettings, string];
    patch[property] ??= structuredClone((current[property] ?? {}) as Record<string, unknown>);
    if (field === "Location.GbJson") {
      if (keyFile) patch[property][member] = { Contents: keyFile.reveal(), Name: ARCHIVER_KEY_FILE_NAME };
    } else {
      patch[property][member] = desired;
    }
  }
  return patch as ThreeCxRemoteArchivingSettings;
}

function voicemailPatch(writes: readonly StorageSettingItem[]): ThreeCxVoicemailSettings {
  return Object.fromEntries(writes.map(({ field, desired }) => [field, desired])) as ThreeCxVoicemailSettings;
}
