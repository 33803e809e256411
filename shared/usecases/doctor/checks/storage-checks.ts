import { type CheckResult, fail, pass, skip, warn } from "../../../domain/doctor/check-result.js";
import { planStorage } from "../../../domain/storage/plan-storage.js";
import { remoteArchivingView, voicemailView } from "../../storage/storage-views.js";
import type { DoctorCheck } from "../doctor-ports.js";

const NAME = "3cx-remote-storage";

/**
 * With storage.remoteArchiving on, 3CX should archive to the bucket exactly as `gw3cx storage apply`
 * leaves it: the same rule the storage plan uses decides, so doctor and the plan never disagree.
 */
export const storageChecks: DoctorCheck = {
  names: [NAME],
  async run(ports, config) {
    const wanted = config.remoteArchiving;
    if (!wanted) return [skip(NAME, "storage.remoteArchiving is off")];
    if (!ports.threecx) return [skip(NAME, "not checked: 3CX is not reachable from here")];
    const [archiving, voicemail] = await Promise.all([
      ports.threecx.getSettings("RemoteArchivingSettings"),
      ports.threecx.getSettings("VoicemailSettings"),
    ]);
    const plan = planStorage(
      { archiving: remoteArchivingView(archiving), voicemail: voicemailView(voicemail) },
      {
        archiving: { bucket: wanted.bucket, folders: wanted.folders, keyDescription: "(a new key)" },
        replace: false,
      },
    );
    return [
      resultOf(
        plan.archiving,
        plan.problems.map((p) => p.message),
      ),
    ];
  },
};

function resultOf(
  archiving: ReturnType<typeof planStorage>["archiving"],
  problems: readonly string[],
): CheckResult {
  if (problems.length > 0 || !archiving)
    return fail(
      NAME,
      problems.join("; ") || "no archiving plan",
      "set storage.bucket (infra's archive_bucket)",
    );
  const where = archiving.current.FileSystemType
    ? `${archiving.current.FileSystemType} ${archiving.current.path ?? ""}`.trim()
    : "nothing";
  switch (archiving.state) {
    case "OURS":
      return pass(NAME, `3CX archives ${archiving.current.enabled.join(", ")} to ${where}`);
    case "NOT_CONFIGURED":
      return fail(
        NAME,
        "3CX archives nowhere yet",
        "run `gw3cx storage apply` (it plans first with `gw3cx storage plan`)",
      );
    case "OURS_DIFFERENT":
      return warn(
        NAME,
        `3CX archives to ${where}, but not the folders storage.archiveTypes asks for`,
        "run `gw3cx storage plan` to see the difference, then `gw3cx storage apply --replace`",
      );
    case "ELSEWHERE":
      return warn(
        NAME,
        `3CX already archives to ${where}; gw3cx leaves it alone`,
        "keep it, or take it over with `gw3cx storage apply --replace` after reading `gw3cx storage plan`",
      );
  }
}
