import { channelChecks } from "./checks/channel-checks.js";
import { deadLetterChecks } from "./checks/dead-letter-checks.js";
import { delegationCheck } from "./checks/delegation-check.js";
import { googleApiChecks } from "./checks/google-api-checks.js";
import { runChecks } from "./checks/run-checks.js";
import { storageChecks } from "./checks/storage-checks.js";
import { threecxChecks } from "./checks/threecx-checks.js";
import { transcriptionChecks } from "./checks/transcription-checks.js";
import type { DoctorCheck, DoctorConfig } from "./doctor-ports.js";

/**
 * Every check doctor runs, in the order it prints them. A feature adds its checks here (one file
 * under checks/ per area); they all run at once.
 */
export function doctorChecks(config: DoctorConfig): DoctorCheck[] {
  return [
    delegationCheck,
    ...googleApiChecks(config.apis),
    threecxChecks,
    // A feature switched off adds no line: its checks would only say "skipped".
    ...(config.remoteArchiving ? [storageChecks] : []),
    ...(config.localTranscription ? [transcriptionChecks] : []),
    channelChecks,
    runChecks,
    deadLetterChecks,
  ];
}
