import {
  NO_TRANSCRIBE_ENGINE,
  planArchivingRemoval,
  planTranscriptionRemoval,
} from "../../domain/remove/plan-pbx-removal.js";
import type { RemovalItem } from "../../domain/remove/removal-item.js";
import { archiverAccountEmail } from "../../domain/storage/archiver-key.js";
import { isGw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import type { ServiceAccountKeys } from "../../ports/service-account-keys.js";
import type { ThreeCx, ThreeCxRemoteArchivingSettings } from "../../ports/threecx.js";
import { remoteArchivingView, SUBSYSTEM_NAMES, voicemailView } from "../storage/storage-views.js";
import { deleteManagedContacts } from "./delete-managed-contacts.js";
import { failureReason } from "./failure-reason.js";
import { type ChannelRemovalPorts, stopRecordedChannels } from "./stop-recorded-channels.js";

export interface RemovalPorts extends ChannelRemovalPorts {
  threecx: Pick<ThreeCx, "getSettings" | "updateSettings" | "deleteContacts">;
  /** The operator's IAM access to the archiver's keys; undefined when there is no deployment to ask (no gcp.projectId). */
  keys?: Pick<ServiceAccountKeys, "listKeyIds" | "deleteKey">;
  logger: Logger;
}

export interface RemovalConfig {
  /** The archive bucket (storage.bucket, else the name infra gives it in gcp.projectId); undefined when unknown. */
  bucket?: string;
  /** gcp.projectId: where the archiver account lives. */
  projectId?: string;
  /** transcription.configurePbx: gw3cx claims 3CX's voicemail transcription engine. */
  configuresTranscription: boolean;
}

export interface RemovalOptions {
  dryRun: boolean;
  /** Opt-in (--contacts): also delete the personal phonebook entries gw3cx wrote. */
  contacts?: boolean;
}

/**
 * `gw3cx remove`: undoes what gw3cx set up outside its own infrastructure, item by item, in an
 * order where no step depends on another: the watch channels (so Google stops pushing), 3CX's
 * remote archiving to gw3cx's bucket and 3CX's transcription engine if gw3cx set them, with
 * `contacts` the phonebook entries gw3cx wrote, and the archiver's keys (so no copy of a key works
 * any more). A failed item is reported with its reason
 * and the others still go; every item is safe to do again, so a second apply finds nothing to do.
 * With `dryRun` it only reads, and changes nothing anywhere.
 */
export async function removeGw3cx(
  ports: RemovalPorts,
  config: RemovalConfig,
  options: RemovalOptions,
): Promise<RemovalItem[]> {
  const channels = await stopRecordedChannels(ports, options).catch((error: unknown) => [
    failedItem("directory-channel", "the channels on record", "stop every channel and forget it", error),
  ]);
  const pbx = await removeFromPbx(ports, config, options);
  const contacts = options.contacts
    ? await deleteManagedContacts(ports, options).catch((error: unknown) => [
        failedItem("personal-contacts", "the entries on record", "delete them and forget them", error),
      ])
    : [];
  const keys = await deleteArchiverKeys(ports, config, options);
  const items = [...channels, ...pbx, ...contacts, ...keys];
  ports.logger.event(options.dryRun ? "removalPlanned" : "removalApplied", {
    items: items.length,
    statuses: items.map((item) => item.status),
  });
  return items;
}

async function removeFromPbx(
  ports: RemovalPorts,
  config: RemovalConfig,
  options: { dryRun: boolean },
): Promise<RemovalItem[]> {
  const items: RemovalItem[] = [];
  let archiving: ThreeCxRemoteArchivingSettings | undefined;
  try {
    archiving = await ports.threecx.getSettings("RemoteArchivingSettings");
  } catch (error) {
    items.push(
      failedItem(
        "remote-archiving",
        "RemoteArchivingSettings",
        "switch every archiving subsystem off",
        error,
      ),
    );
  }
  if (archiving) {
    const planned = planArchivingRemoval(remoteArchivingView(archiving), config.bucket);
    items.push(
      await applyIf(planned, options, () =>
        ports.threecx.updateSettings("RemoteArchivingSettings", archivingOff(archiving)),
      ),
    );
  }
  try {
    const voicemail = await ports.threecx.getSettings("VoicemailSettings");
    const planned = planTranscriptionRemoval(voicemailView(voicemail), config.configuresTranscription);
    items.push(
      await applyIf(planned, options, () =>
        ports.threecx.updateSettings("VoicemailSettings", { TranscribeEngine: NO_TRANSCRIBE_ENGINE }),
      ),
    );
  } catch (error) {
    items.push(
      failedItem(
        "transcription-engine",
        "VoicemailSettings.TranscribeEngine",
        `set it to ${NO_TRANSCRIBE_ENGINE}`,
        error,
      ),
    );
  }
  return items;
}

/** Every subsystem sent whole with both switches off, so a PBX that replaces complex properties keeps the rest. */
function archivingOff(current: ThreeCxRemoteArchivingSettings): ThreeCxRemoteArchivingSettings {
  return Object.fromEntries(
    SUBSYSTEM_NAMES.map((name) => [name, { ...(current[name] ?? {}), Enabled: false, Archiving: false }]),
  ) as ThreeCxRemoteArchivingSettings;
}

async function deleteArchiverKeys(
  ports: RemovalPorts,
  config: RemovalConfig,
  options: { dryRun: boolean },
): Promise<RemovalItem[]> {
  const action = "delete the key at Google";
  if (!config.projectId || !ports.keys) {
    return [
      {
        area: "archiver-key",
        target: "(no deployment)",
        action,
        status: "already-gone",
        reason: "gcp.projectId is not set: there is no archiver account to ask",
      },
    ];
  }
  const keys = ports.keys;
  const account = archiverAccountEmail(config.projectId);
  let keyIds: string[];
  try {
    keyIds = await keys.listKeyIds(account);
  } catch (error) {
    if (isGw3cxError(error, "ACCOUNT_NOT_FOUND")) {
      return [
        {
          area: "archiver-key",
          target: account,
          action,
          status: "already-gone",
          reason: "the account does not exist (remote archiving was never deployed, or it is destroyed)",
        },
      ];
    }
    return [failedItem("archiver-key", account, "list the account's keys and delete them", error)];
  }
  if (keyIds.length === 0) {
    return [
      {
        area: "archiver-key",
        target: account,
        action,
        status: "already-gone",
        reason: "the account has no key",
      },
    ];
  }
  const items: RemovalItem[] = [];
  for (const keyId of keyIds) {
    const planned: RemovalItem = {
      area: "archiver-key",
      target: `${keyId} of ${account}`,
      action,
      status: "to-do",
    };
    if (options.dryRun) {
      items.push(planned);
      continue;
    }
    try {
      await keys.deleteKey(account, keyId);
      ports.logger.event("removalArchiverKeyDeleted", { account, keyId });
      items.push({ ...planned, status: "done" });
    } catch (error) {
      // Deleted between the listing and now: the goal either way.
      items.push(
        isGw3cxError(error, "ACCOUNT_NOT_FOUND")
          ? { ...planned, status: "already-gone", reason: "Google no longer had it" }
          : { ...planned, status: "failed", reason: failureReason(error) },
      );
    }
  }
  return items;
}

/** A planned to-do item, applied unless dryRun: done, or failed with the reason. Other items pass through. */
async function applyIf(
  planned: RemovalItem,
  options: { dryRun: boolean },
  apply: () => Promise<void>,
): Promise<RemovalItem> {
  if (planned.status !== "to-do" || options.dryRun) return planned;
  try {
    await apply();
    return { ...planned, status: "done" };
  } catch (error) {
    return { ...planned, status: "failed", reason: failureReason(error) };
  }
}

function failedItem(area: RemovalItem["area"], target: string, action: string, error: unknown): RemovalItem {
  return { area, target, action, status: "failed", reason: failureReason(error) };
}
