import { PocketsphinxTranscriber } from "../../../shared/adapters/local/pocketsphinx-transcriber.js";
import { describeTranscriberContract } from "./transcriber.contract.js";

describeTranscriberContract({
  name: "pocketsphinx (local engine)",
  transcriber: () => new PocketsphinxTranscriber(),
  place: async (localPath) => localPath,
});
