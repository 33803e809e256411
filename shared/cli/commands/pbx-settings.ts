import { pbxSettingsConfigFrom } from "../../runtime/pbx-settings-config.js";
import { configurePbxSettings } from "../../usecases/pbx-settings/configure-pbx-settings.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderPbxSettingsPlan } from "../render/pbx-settings-tables.js";

export interface PbxSettingsOptions {
  json: boolean;
  replace: boolean;
}

/**
 * `gw3cx pbx-settings plan|apply`: 3CX's system mail, its reCAPTCHA switch and Google sign-in.
 * Exit 0 when everything wanted is (or was already) in place, 1 when a problem kept part of it
 * from being applied (the rest is applied).
 */
export async function runPbxSettings(
  global: GlobalOptions,
  mode: "plan" | "apply",
  options: PbxSettingsOptions,
): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  try {
    const { plan, applied } = await configurePbxSettings(
      { threecx: runtime.threecx, logger },
      pbxSettingsConfigFrom(cli.settings, cli.env),
      { dryRun: mode === "plan", replace: options.replace },
    );
    if (options.json) output.json({ mode, replace: options.replace, ...plan, applied });
    else {
      output.out(renderPbxSettingsPlan(plan));
      const writes = plan.items.filter((item) => item.write).length;
      output.out(
        mode === "plan"
          ? `\n${writes} settings to write. Nothing was applied; \`gw3cx pbx-settings apply\` applies it.`
          : `\n${applied.length} settings written.`,
      );
    }
    return mode === "apply" && plan.problems.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await runtime.close();
  }
}
