import type { RemoteArchivingView, VoicemailView } from "../storage/plan-storage.js";
import { PBX_TRANSCRIBE_ENGINE } from "../storage/plan-storage.js";
import type { ArchiveSubsystemName } from "../storage/storage-plan.js";
import type { RemovalItem } from "./removal-item.js";

/** The engine 3CX's VoicemailSettings.TranscribeEngine shows when it transcribes nothing (the spec's enum). */
export const NO_TRANSCRIBE_ENGINE = "None";

/** The bucket infra names for a project (infra/constructs/archive-storage.ts), used when storage.bucket is unset. */
export function defaultArchiveBucket(projectId: string): string {
  return `${projectId}-gw3cx-archive`;
}

/** "gs://name/" and "name" name the same bucket. */
const bucketOf = (path: string | null) =>
  (path ?? "")
    .trim()
    .replace(/^gs:\/\//i, "")
    .replace(/\/+$/, "");

/** Subsystems that archive now: either switch on counts, since gw3cx sets both. */
export function archivingSubsystems(view: RemoteArchivingView): ArchiveSubsystemName[] {
  return (Object.keys(view.subsystems) as ArchiveSubsystemName[]).filter(
    (name) => view.subsystems[name].Enabled === true || view.subsystems[name].Archiving === true,
  );
}

/**
 * 3CX's remote archiving: switched off (every subsystem) when it points at gw3cx's bucket, which
 * the destroy deletes and whose key the removal deletes; left as it is, and said so, when it
 * points anywhere else. The location itself is not rewritten: with every subsystem off 3CX sends
 * nothing there, and the key file it still holds stops working once the key is deleted.
 */
export function planArchivingRemoval(view: RemoteArchivingView, bucket: string | undefined): RemovalItem {
  const base = {
    area: "remote-archiving",
    target: "RemoteArchivingSettings",
    action: "switch every archiving subsystem off",
  } as const;
  const active = archivingSubsystems(view);
  const where = `${view.FileSystemType ?? "no location"}${view.GbPath && view.FileSystemType === "GoogleBucket" ? ` (${view.GbPath})` : ""}`;
  if (active.length === 0) {
    return { ...base, status: "already-gone", reason: "3CX archives nothing remotely" };
  }
  const toGoogleBucket = view.FileSystemType === "GoogleBucket";
  if (!bucket) {
    return {
      ...base,
      status: toGoogleBucket ? "failed" : "left",
      reason: toGoogleBucket
        ? `3CX archives ${active.join(", ")} to ${where}, and without storage.bucket or gcp.projectId gw3cx cannot tell whether that is its bucket: set one of them, or switch it off in the 3CX Admin Console (System > Storage)`
        : `3CX archives ${active.join(", ")} to ${where}, not to a Google bucket: not gw3cx's, left as it is`,
    };
  }
  if (!toGoogleBucket || bucketOf(view.GbPath) !== bucket) {
    return {
      ...base,
      status: "left",
      reason: `3CX archives ${active.join(", ")} to ${where}, not to gw3cx's bucket ${bucket}: left as it is`,
    };
  }
  return {
    ...base,
    status: "to-do",
    reason: `3CX archives ${active.join(", ")} to gw3cx's bucket ${bucket}`,
  };
}

/**
 * 3CX's own voicemail transcription: back to None when it is the engine gw3cx sets (Google) and
 * the settings say gw3cx configures it (transcription.configurePbx); any other engine, or Google
 * set by someone else, is left and said so.
 */
export function planTranscriptionRemoval(view: VoicemailView, gw3cxConfiguresIt: boolean): RemovalItem {
  const base = {
    area: "transcription-engine",
    target: "VoicemailSettings.TranscribeEngine",
    action: `set it to ${NO_TRANSCRIBE_ENGINE}`,
  } as const;
  const engine = view.TranscribeEngine;
  if (engine === null || engine === NO_TRANSCRIBE_ENGINE) {
    return { ...base, status: "already-gone", reason: "3CX transcribes no voicemail" };
  }
  if (engine !== PBX_TRANSCRIBE_ENGINE) {
    return {
      ...base,
      status: "left",
      reason: `3CX transcribes with ${engine}, which gw3cx never sets: left`,
    };
  }
  if (!gw3cxConfiguresIt) {
    return {
      ...base,
      status: "left",
      reason: `3CX transcribes with ${engine}, but transcription.configurePbx is off, so gw3cx does not claim it: left (3CX Admin Console > Integrations > Transcription to change it)`,
    };
  }
  return { ...base, status: "to-do", reason: `3CX transcribes voicemail with ${engine}, as gw3cx set it` };
}
