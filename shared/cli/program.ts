import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_ASSUMPTIONS } from "../domain/cost/assumptions.js";
import type { GlobalOptions } from "./cli-context.js";
import type { ExitCode } from "./exit-codes.js";
import { output } from "./output.js";
import { errorAsJson, reportError } from "./report-error.js";

/**
 * The `gw3cx` command line: parses argv, runs one command, and returns the exit code.
 * Each command's module is imported only when that command runs: they pull in the Google, 3CX,
 * Firestore and SQLite clients, and `--help` or `--version` must not pay for loading them.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let exitCode: ExitCode | undefined;
  /** Set once a command with --json starts: its errors are printed as JSON on stdout too. */
  let jsonRequested = false;
  const program = new Command("gw3cx")
    .description("Google Workspace -> 3CX: plan and run the user sync, show status, run everything locally.")
    .version(packageVersion(), "-V, --version", "print the gw3cx version")
    .option("--config <file>", "settings file (JSON or YAML); the same as $GW3CX_CONFIG")
    .addOption(
      new Option("--state <kind>", "where runs and links are stored")
        .choices(["sqlite", "firestore"])
        .default("sqlite"),
    )
    .option("--verbose", "log lines on stderr and stack traces on errors", false)
    .showHelpAfterError();

  const globals = (command: Command): GlobalOptions => {
    const all = command.optsWithGlobals<{
      config?: string;
      state: "sqlite" | "firestore";
      verbose: boolean;
    }>();
    return { config: all.config, state: all.state, verbose: all.verbose };
  };
  const run = (work: (command: Command) => Promise<ExitCode>) => async (_: unknown, command: Command) => {
    jsonRequested = command.opts<{ json?: boolean }>().json === true;
    exitCode = await work(command);
  };

  program
    .command("start")
    .description("run gw3cx on this machine (simulators unless a tenant is configured) until Ctrl+C")
    .option("--port <port>", "port of the status page and webhook (default: any free port)", parsePort)
    .action(
      run(async (command) => {
        const { runStart } = await import("./commands/start.js");
        return runStart(globals(command), command.opts<{ port?: number }>());
      }),
    );

  program
    .command("plan")
    .description("show what a sync would change, as tables; applies nothing")
    .option("--json", "print the plan as JSON", false)
    .action(
      run(async (command) => {
        const { runPlan } = await import("./commands/plan.js");
        return runPlan(globals(command), command.opts<{ json: boolean }>());
      }),
    );

  program
    .command("sync")
    .description("apply the user sync: exit 0 applied, 2 held by the safeguard, 1 failed")
    .option("--approve <run>", "apply a run the safeguard held, with the disables it listed")
    .option("--json", "print the run record as JSON", false)
    .action(
      run(async (command) => {
        const { runSync } = await import("./commands/sync.js");
        return runSync(globals(command), command.opts<{ json: boolean; approve?: string }>());
      }),
    );

  const contacts = program
    .command("contacts")
    .description("each user's labelled Google contacts in their 3CX personal phonebook");
  for (const action of ["plan", "sync"] as const) {
    contacts
      .command(action)
      .description(
        action === "plan"
          ? "show what a contacts sync would write; writes nothing"
          : "sync personal contacts: exit 0 applied, 1 a user failed or the PBX is older than 20.0.9",
      )
      .option("--user <email>", "only this user")
      .option("--json", "print the run as JSON", false)
      .action(
        run(async (command) => {
          const { runContacts } = await import("./commands/contacts.js");
          return runContacts(globals(command), action, command.opts<{ json: boolean; user?: string }>());
        }),
      );
  }

  program
    .command("status")
    .description("recent runs, held runs, watch channels, managed users and presence overrides")
    .option("--json", "print the status as JSON", false)
    .action(
      run(async (command) => {
        const { runStatus } = await import("./commands/status.js");
        return runStatus(globals(command), command.opts<{ json: boolean }>());
      }),
    );

  program
    .command("setup")
    .description(
      "what to do by hand for the features switched on: delegation client ids and scopes, the 3CX API client, console steps",
    )
    .option(
      "--outputs <file>",
      "the deployment's Terraform outputs (`terraform output -json`); default terraform.gw3cx.tfstate",
    )
    .option("--json", "print the steps as JSON", false)
    .action(
      run(async (command) => {
        const { runSetup } = await import("./commands/setup.js");
        return runSetup(globals(command), command.opts<{ json: boolean; outputs?: string }>());
      }),
    );

  program
    .command("doctor")
    .description(
      "check settings, delegation, Google APIs, 3CX, channels, runs and dead letters: exit 0 when nothing fails",
    )
    .option(
      "--outputs <file>",
      "the deployment's Terraform outputs, to name the delegation client id in fixes",
    )
    .option("--timeout <seconds>", "how long each check may take", parseSeconds, 15)
    .option("--json", "print the checks as JSON", false)
    .action(
      run(async (command) => {
        const { runDoctorCommand } = await import("./commands/doctor.js");
        return runDoctorCommand(
          globals(command),
          command.opts<{ json: boolean; outputs?: string; timeout: number }>(),
        );
      }),
    );

  program
    .command("cost")
    .description(
      "what gw3cx costs to run per month for this many users, with the features the settings switch on",
    )
    .option("--users <count>", "users gw3cx manages", parseCount("--users", 1, true), 100)
    .option(
      "--calendar-changes-per-user-day <count>",
      `calendar notifications per user per working day (default ${DEFAULT_ASSUMPTIONS.calendarChangesPerUserDay})`,
      parseCount("--calendar-changes-per-user-day", 0),
    )
    .option(
      "--recording-minutes <minutes>",
      `recorded call and voicemail minutes per month in all (default ${DEFAULT_ASSUMPTIONS.recordingMinutesPerUser} per user)`,
      parseCount("--recording-minutes", 0),
    )
    .option("--json", "print the line items, total and assumptions as JSON", false)
    .action(
      run(async (command) => {
        const { runCost } = await import("./commands/cost.js");
        return runCost(
          globals(command),
          command.opts<{
            users: number;
            calendarChangesPerUserDay?: number;
            recordingMinutes?: number;
            json: boolean;
          }>(),
        );
      }),
    );

  program
    .command("digest")
    .description(
      "mail the digest of the last 24 hours' failed runs and dead letters to safeguard.adminEmail now",
    )
    .option("--json", "print the digest as JSON", false)
    .action(
      run(async (command) => {
        const { runDigest } = await import("./commands/digest.js");
        return runDigest(globals(command), command.opts<{ json: boolean }>());
      }),
    );

  const pbxSettings = program
    .command("pbx-settings")
    .description("3CX system mail, its reCAPTCHA switch and Google sign-in: plan, then apply");
  for (const mode of ["plan", "apply"] as const) {
    pbxSettings
      .command(mode)
      .description(
        mode === "plan"
          ? "show what gw3cx would set on the PBX; applies nothing"
          : "set it; an administrator's own configuration is kept unless --replace",
      )
      .option("--replace", "replace what an administrator configured differently", false)
      .option("--json", "print the plan as JSON", false)
      .action(
        run(async (command) => {
          const { runPbxSettings } = await import("./commands/pbx-settings.js");
          return runPbxSettings(globals(command), mode, command.opts<{ json: boolean; replace: boolean }>());
        }),
      );
  }

  const storage = program
    .command("storage")
    .description("3CX remote storage to the archive bucket (with its key) and 3CX's voicemail transcription");
  for (const mode of ["plan", "apply"] as const) {
    storage
      .command(mode)
      .description(
        mode === "plan"
          ? "show what gw3cx would set on the PBX; applies nothing and makes no key"
          : "set it (and hand 3CX a new key when it needs one); existing remote storage is kept unless --replace",
      )
      .option("--replace", "replace remote storage or a transcription engine configured otherwise", false)
      .option("--json", "print the plan as JSON", false)
      .action(
        run(async (command) => {
          const { runStorage } = await import("./commands/storage.js");
          return runStorage(globals(command), mode, command.opts<{ json: boolean; replace: boolean }>());
        }),
      );
  }
  storage
    .command("rotate-key")
    .description(
      "a new key of gw3cx-archiver into 3CX and Secret Manager; older keys deleted, older versions disabled",
    )
    .option("--json", "print the key id, secret version and what was retired as JSON", false)
    .action(
      run(async (command) => {
        const { runRotateKey } = await import("./commands/storage.js");
        return runRotateKey(globals(command), command.opts<{ json: boolean }>());
      }),
    );

  const remove = program
    .command("remove")
    .description(
      "uninstall: stop the watch channels, undo gw3cx's 3CX storage settings, delete the archiver keys (--contacts: its phonebook entries)",
    );
  for (const mode of ["plan", "apply"] as const) {
    remove
      .command(mode)
      .description(
        mode === "plan"
          ? "list what apply would undo, what stays and the steps by hand; changes nothing"
          : "undo it item by item (exit 1 if an item failed; the others still go), then list the steps by hand",
      )
      .option(
        "--outputs <file>",
        "the deployment's Terraform outputs (for the delegation client ids to remove)",
      )
      .option(
        "--contacts",
        "also delete the personal phonebook entries gw3cx wrote (never one it did not)",
        false,
      )
      .option("--json", "print the items, what stays and the steps as JSON", false)
      .action(
        run(async (command) => {
          const { runRemove } = await import("./commands/remove.js");
          return runRemove(
            globals(command),
            mode,
            command.opts<{ json: boolean; outputs?: string; contacts: boolean }>(),
          );
        }),
      );
  }

  program
    .command("transcribe")
    .description(
      "transcribe one recording or voicemail of the local storage folder now (PATH: recordings/EXT/FILE or a file in the folder)",
    )
    .argument("<path>", "the object's path in storage.localDir, or a file inside it")
    .option("--json", "print the outcome and the transcript document as JSON", false)
    .action(async (path: string, _options: unknown, command: Command) => {
      jsonRequested = command.opts<{ json?: boolean }>().json === true;
      const { runTranscribe } = await import("./commands/transcribe.js");
      exitCode = await runTranscribe(globals(command), path, command.opts<{ json: boolean }>());
    });

  program
    .command("explain")
    .description(
      "why presence sets a profile: USER's live calendar, or a saved events.list response (--events FILE)",
    )
    .argument("[user]", "the user's email or Google id (live calendar)")
    .option("--at <time>", "the instant, ISO 8601 with a zone (default: now)")
    .option("--events <file>", "an events.list response (singleEvents=true) to explain offline")
    .option("--profile <name>", "with --events: the profile 3CX shows now")
    .option("--json", 'print {"at","profile","rule","block","nextBoundary"} as JSON', false)
    .action(async (user: string | undefined, _options: unknown, command: Command) => {
      jsonRequested = command.opts<{ json?: boolean }>().json === true;
      const { runExplain } = await import("./commands/explain.js");
      exitCode = await runExplain(
        globals(command),
        user,
        command.opts<{ json: boolean; at?: string; events?: string; profile?: string }>(),
      );
    });

  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    const { exitCode: code, text } = reportError(
      error,
      Boolean(program.opts<{ verbose?: boolean }>().verbose),
    );
    if (jsonRequested) output.json(errorAsJson(error));
    output.err(text);
    return code;
  }
  return exitCode ?? 0;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidArgumentError("expected a port number from 0 to 65535");
  return port;
}

/** A number of at least `min` (commander names the option and the value in its error). */
function parseCount(option: string, min: number, whole = false): (value: string) => number {
  return (value) => {
    const count = Number(value);
    if (value.trim() === "" || !Number.isFinite(count) || count < min || (whole && !Number.isInteger(count)))
      throw new InvalidArgumentError(
        `${option} must be a ${whole ? "whole number" : "number"}, ${min} or more; got ${JSON.stringify(value)}`,
      );
    return count;
  };
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    throw new InvalidArgumentError("expected a number of seconds from 0.1 to 600");
  return seconds;
}

/**
 * The version in package.json. This file and the compiled CLI (dist/cli/) both sit two
 * directories below the package root, so the same relative path serves both.
 */
function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
