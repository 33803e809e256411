import { type SyncAllContactsResult, syncAllContacts } from "../../usecases/contacts/sync-all-contacts.js";
import { approveHeldRun } from "../../usecases/user-sync/approve-held-run.js";
import { type SyncAllUsersResult, syncAllUsers } from "../../usecases/user-sync/sync-all-users.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderContactRun } from "../render/contact-run.js";
import { renderRunErrors } from "../render/run-errors.js";
import { renderRunSummary, USER_SYNC_OFF_TEXT } from "../render/run-summary.js";
import { createSyncProgress } from "../render/sync-progress.js";

export interface SyncCommandOptions {
  json: boolean;
  /** The held run to approve and apply. */
  approve?: string;
}

/**
 * `gw3cx sync [--approve RUN]`: exit 0 applied, 2 held by the safeguard, 78 user sync off
 * (syncUsers: false), 1 failed (users another worker held past the wait included).
 */
export async function runSync(global: GlobalOptions, options: SyncCommandOptions): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  // On stderr, and only when someone watches it: stdout carries the result alone (also with --json).
  const progress = process.stderr.isTTY ? createSyncProgress() : undefined;
  let result: SyncAllUsersResult;
  let contacts: SyncAllContactsResult | undefined;
  try {
    result = options.approve
      ? // approveHeldRun takes no progress callback; an approval re-runs the same plan, usually small.
        await approveHeldRun(runtime.userSync, runtime.config, options.approve)
      : await syncAllUsers(runtime.userSync, runtime.config, {
          trigger: "manual",
          ...(progress ? { onProgress: progress.onProgress } : {}),
        });
    // As the nightly run does: contacts after users (they need the users' links), unless that failed.
    if (!options.approve && runtime.contactsConfig.syncPersonalContacts && result.run.status !== "failed") {
      progress?.stop();
      contacts = await syncAllContacts(runtime.contacts, runtime.contactsConfig, { trigger: "manual" });
    }
  } finally {
    progress?.stop();
    await runtime.close();
  }
  const { run, plan } = result;
  if (options.json) output.json(contacts ? { ...run, contacts: contacts.run } : run);
  else output.out(renderRunSummary(run, plan));
  if (contacts && !options.json) output.out(`\n${renderContactRun(contacts.run, contacts.results)}`);
  output.err(renderRunErrors(run));
  const contactsFailed = contacts !== undefined && !["applied", "off"].includes(contacts.run.status);
  if (run.status === "applied") return contactsFailed ? EXIT.failed : EXIT.ok;
  if (run.status === "held") return EXIT.held;
  // The settings say not to sync users: a settings matter, told apart from a failure.
  if (run.status === "off") {
    if (options.json) output.err(`gw3cx: USER_SYNC_OFF: ${USER_SYNC_OFF_TEXT}`);
    return EXIT.config;
  }
  return EXIT.failed;
}
