import { loadSettings } from "../../config/load-settings.js";
import type { GlobalOptions } from "../cli-context.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderSetupGuide } from "../render/setup-guide.js";
import { readDeploymentOutputs } from "../setup/deployment-outputs.js";
import { setupGuide } from "../setup/setup-guide.js";

/**
 * `gw3cx setup`: what to do by hand in the Admin consoles for the features switched on. It reads
 * the settings and the deployment's outputs only; nothing is contacted or changed.
 */
export async function runSetup(
  global: GlobalOptions,
  options: { json: boolean; outputs?: string },
): Promise<ExitCode> {
  const settings = loadSettings({ ...(global.config ? { file: global.config } : {}) });
  const guide = setupGuide(settings, { outputs: readDeploymentOutputs(options.outputs) });
  if (options.json) output.json(guide);
  else output.out(renderSetupGuide(guide));
  return EXIT.ok;
}
