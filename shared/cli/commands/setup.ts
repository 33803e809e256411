import { loadSettings } from "../../config/load-settings.js";
import { isGw3cxError } from "../../errors.js";
import { createThreeCx } from "../../runtime/threecx-adapter.js";
import { type CliSettings, type GlobalOptions, openState, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderSetupGuide } from "../render/setup-guide.js";
import { readDeploymentOutputs } from "../setup/deployment-outputs.js";
import { setupGuide } from "../setup/setup-guide.js";

/** How long setup waits for the PBX to say its sign-in redirect URI before printing without it. */
const PROVISION_URL_WAIT_MS = 5_000;

/**
 * `gw3cx setup`: what to do by hand in the Admin consoles for the features switched on, from the
 * settings and the deployment's outputs. Nothing is changed anywhere; with sign-in on and a PBX
 * configured, the PBX is asked for its redirect URI (GoogleSettings.ProvisionUrl).
 */
export async function runSetup(
  global: GlobalOptions,
  options: { json: boolean; outputs?: string },
): Promise<ExitCode> {
  const cli = await settingsForSetup(global);
  const outputs = readDeploymentOutputs(options.outputs);
  const provisionUrl = cli.settings.sso ? await readProvisionUrl(cli, global) : undefined;
  const guide = setupGuide(cli.settings, {
    ...(outputs ? { outputs } : {}),
    ...(provisionUrl ? { provisionUrl } : {}),
  });
  if (options.json) output.json(guide);
  else output.out(renderSetupGuide(guide));
  return EXIT.ok;
}

/** Setup is for before anything runs, so no settings at all is fine: the defaults' steps. */
async function settingsForSetup(global: GlobalOptions): Promise<CliSettings> {
  try {
    return await resolveCliSettings(global);
  } catch (error) {
    if (!isGw3cxError(error, "NOT_CONFIGURED")) throw error;
    return { settings: loadSettings(), env: process.env };
  }
}

/** Best effort: any failure (no PBX yet, no secret, a refusal) leaves the guide's generic wording. */
async function readProvisionUrl(cli: CliSettings, global: GlobalOptions): Promise<string | undefined> {
  const { settings } = cli;
  if (!settings.threecx.url || !settings.threecx.clientId || !settings.threecx.clientSecret) return undefined;
  const logger = createCliLogger({ verbose: global.verbose, level: settings.logLevel });
  const state = await openState(settings, global.state);
  try {
    // The shared token (3CX keeps one per API client): a running gw3cx keeps its own working.
    const threecx = createThreeCx(
      { ...settings, threecx: { ...settings.threecx, maxRetries: 0 } },
      logger,
      state,
      cli.env,
    );
    try {
      const read = threecx.getSettings("GoogleSettings").then((s) => s.ProvisionUrl ?? undefined);
      const timeout = new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), PROVISION_URL_WAIT_MS).unref(),
      );
      return await Promise.race([read, timeout]);
    } finally {
      await threecx.close();
    }
  } catch {
    return undefined;
  } finally {
    await state.close();
  }
}
