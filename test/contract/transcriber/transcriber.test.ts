import { afterAll, beforeAll } from "vitest";
import { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";
import { SpeechV2Transcriber } from "../../../shared/adapters/speech/speech-v2-transcriber.js";
import { startSpeechHarness } from "../../support/speech-stand-in-harness.js";
import { describeTranscriberContract } from "./transcriber.contract.js";

describeTranscriberContract({
  name: "pocketsphinx (local engine)",
  transcriber: () => new PocketsphinxTranscriber(),
  place: async (localPath) => localPath,
});

let speech: Awaited<ReturnType<typeof startSpeechHarness>>;
let transcriber: SpeechV2Transcriber;
beforeAll(async () => {
  speech = await startSpeechHarness();
  transcriber = new SpeechV2Transcriber({
    projectId: "gw3cx-test",
    location: "global",
    model: "telephony",
    env: { SPEECH_EMULATOR_HOST: speech.standIn.host },
  });
});
afterAll(async () => {
  await transcriber?.close();
  await speech?.stop();
});

describeTranscriberContract({
  name: "Speech-to-Text v2 (on the Speech stand-in)",
  transcriber: () => transcriber,
  place: (localPath) => speech.place(localPath),
});
