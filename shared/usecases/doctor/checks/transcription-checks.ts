import { fail, pass, skip } from "../../../domain/doctor/check-result.js";
import type { DoctorCheck } from "../doctor-ports.js";

const NAME = "transcription-engine";

/** On one machine, recordings are transcribed by programs from Debian's packages: they must be there. */
export const transcriptionChecks: DoctorCheck = {
  names: [NAME],
  async run(ports) {
    if (!ports.localTranscriber) return [skip(NAME, "transcription does not run on this machine")];
    try {
      await ports.localTranscriber.probe();
      return [pass(NAME, "ffmpeg, pocketsphinx and its en-US model are installed")];
    } catch (error) {
      return [
        fail(
          NAME,
          error instanceof Error ? error.message : String(error),
          "apt-get install -y ffmpeg pocketsphinx pocketsphinx-en-us",
        ),
      ];
    }
  },
};
