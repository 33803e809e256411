import { defaultArchiveBucket } from "../../domain/remove/plan-pbx-removal.js";
import { removalGuide } from "../../domain/remove/removal-guide.js";
import { removalFailed } from "../../domain/remove/removal-item.js";
import { createServiceAccountKeys } from "../../runtime/storage-config.js";
import { removeGw3cx } from "../../usecases/remove/remove-gw3cx.js";
import { UserLinkStore } from "../../usecases/user-sync/user-link-store.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderRemoval } from "../render/removal-report.js";
import { readDeploymentOutputs } from "../setup/deployment-outputs.js";

export interface RemoveOptions {
  json: boolean;
  outputs?: string;
  /** Also delete the personal phonebook entries gw3cx wrote. */
  contacts: boolean;
}

/**
 * `gw3cx remove plan|apply`: what gw3cx set up outside its infrastructure, undone item by item
 * (plan only reads), then what stays on purpose and the steps left to do by hand. Exit 0 when no
 * item failed, 1 when one did (the others were still done).
 */
export async function runRemove(
  global: GlobalOptions,
  mode: "plan" | "apply",
  options: RemoveOptions,
): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const { settings } = cli;
  const outputs = readDeploymentOutputs(options.outputs);
  const logger = createCliLogger({ verbose: global.verbose, level: settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  try {
    const projectId = settings.gcp.projectId;
    const keys = projectId ? await createServiceAccountKeys(settings, cli.env) : undefined;
    const bucket = settings.storage.bucket ?? (projectId ? defaultArchiveBucket(projectId) : undefined);
    const items = await removeGw3cx(
      {
        directory: runtime.userSync.directory,
        calendar: runtime.presence.calendar,
        state: runtime.userSync.state,
        clock: runtime.userSync.clock,
        threecx: runtime.threecx,
        ...(keys ? { keys } : {}),
        logger,
      },
      {
        ...(bucket ? { bucket } : {}),
        ...(projectId ? { projectId } : {}),
        configuresTranscription: settings.transcription.configurePbx,
      },
      { dryRun: mode === "plan", contacts: options.contacts },
    );
    const guide = removalGuide({
      features: {
        pbxMail: settings.mail.configurePbx,
        sso: settings.sso,
        recaptcha: settings.recaptcha.enabled,
        personalContacts: settings.syncPersonalContacts,
      },
      contactsDeleted: options.contacts,
      managedUsers: (await new UserLinkStore(runtime.userSync.state).all()).length,
      ...(projectId ? { projectId } : {}),
      region: settings.gcp.region,
      ...(bucket ? { bucket } : {}),
      ...(settings.threecx.clientId ? { threecxClientId: settings.threecx.clientId } : {}),
      ...(outputs ? { delegation: { source: outputs.source, clients: outputs.delegatingAccounts } } : {}),
    });
    if (options.json) output.json({ mode, items, ...guide });
    else output.out(renderRemoval(mode, items, guide));
    return mode === "apply" && removalFailed(items) ? EXIT.failed : EXIT.ok;
  } finally {
    await runtime.close();
  }
}
