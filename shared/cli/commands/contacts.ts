import { type SyncAllContactsResult, syncAllContacts } from "../../usecases/contacts/sync-all-contacts.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { CONTACTS_OFF_TEXT, renderContactRun } from "../render/contact-run.js";

export interface ContactsCommandOptions {
  json: boolean;
  /** Only this user's contacts. */
  user?: string;
}

/**
 * `gw3cx contacts plan|sync [--user EMAIL]`: plan reads and writes nothing (and records no run);
 * sync applies. Exit 0 applied or planned, 1 a user failed or the PBX is too old, 78 contacts off.
 */
export async function runContacts(
  global: GlobalOptions,
  action: "plan" | "sync",
  options: ContactsCommandOptions,
): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  let result: SyncAllContactsResult;
  try {
    result = await syncAllContacts(runtime.contacts, runtime.contactsConfig, {
      trigger: "manual",
      dryRun: action === "plan",
      ...(options.user ? { onlyEmail: options.user } : {}),
    });
  } finally {
    await runtime.close();
  }
  return reportContactRun(result, options.json);
}

/** Prints a contacts run (its record as JSON, or as text) and gives its exit code. */
export function reportContactRun(result: SyncAllContactsResult, json: boolean): ExitCode {
  const { run, results } = result;
  if (json) output.json(run);
  else output.out(renderContactRun(run, results));
  if (run.status === "applied" || run.status === "planned") return EXIT.ok;
  if (run.status === "off") {
    if (json) output.err(`gw3cx: CONTACTS_OFF: ${CONTACTS_OFF_TEXT}`);
    return EXIT.config;
  }
  return EXIT.failed;
}
