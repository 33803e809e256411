import { STORAGE_SETTING_REASON_TEXT, type StoragePlan } from "../../domain/storage/storage-plan.js";
import { renderSettingWrites } from "./settings-write-table.js";

/** What 3CX archives now, in one sentence: the answer to "does 3CX already have remote storage?". */
export function describeArchiving(plan: StoragePlan): string {
  const archiving = plan.archiving;
  if (!archiving)
    return "Remote archiving: storage.remoteArchiving is off; 3CX's remote storage is left alone.";
  const { FileSystemType, path, enabled } = archiving.current;
  const where = `${FileSystemType ?? "no location"}${path ? ` (${path})` : ""}`;
  switch (archiving.state) {
    case "NOT_CONFIGURED":
      return `Remote archiving: 3CX archives nothing now (location ${where}); gw3cx points it at the bucket.`;
    case "OURS":
      return `Remote archiving: 3CX archives ${enabled.join(", ")} to the bucket (${path}), as the settings want.`;
    case "OURS_DIFFERENT":
      return `Remote archiving: 3CX archives ${enabled.join(", ")} to the bucket (${path}), which differs from storage.archiveTypes.`;
    case "ELSEWHERE":
      return `Remote archiving: 3CX already has remote storage configured: ${enabled.join(", ")} to ${where}.`;
  }
}

/** The plan as a table per area, then the problems with what to do. */
export function renderStoragePlan(plan: StoragePlan): string {
  const sections = [describeArchiving(plan)];
  for (const [area, title] of [
    ["archiving", "3CX remote archiving (RemoteArchivingSettings)"],
    ["transcription", "3CX voicemail transcription (VoicemailSettings)"],
  ] as const) {
    const items = plan.items.filter((item) => item.area === area);
    if (items.length === 0) {
      if (area === "transcription")
        sections.push(`${title}: not configured by gw3cx (transcription.configurePbx is off)`);
      continue;
    }
    sections.push(renderSettingWrites(title, items, STORAGE_SETTING_REASON_TEXT));
  }
  const problems = plan.problems.map((problem) => `  ${problem.code}: ${problem.message}`);
  return [
    ...sections,
    ...(problems.length > 0 ? [`Problems (not applied):\n${problems.join("\n")}`] : []),
  ].join("\n\n");
}
