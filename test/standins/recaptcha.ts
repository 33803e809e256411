import { fileURLToPath } from "node:url";
import { type RunningStandIn, startProcess } from "./process.js";

const main = fileURLToPath(new URL("./recaptcha/main.ts", import.meta.url));

/**
 * Our reCAPTCHA Enterprise stand-in (real gRPC protocol, from the protos
 * @google-cloud/recaptcha-enterprise ships): CreateAssessment for tokens minted on its admin API.
 */
export async function startRecaptchaStandIn(): Promise<RunningStandIn> {
  return startProcess(
    "recaptcha",
    process.execPath,
    ["--import", "tsx", main],
    /listening on (127\.0\.0\.1:\d+) admin (127\.0\.0\.1:\d+)/,
  );
}
