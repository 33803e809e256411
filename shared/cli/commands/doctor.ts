import { systemClock } from "../../adapters/clock/system-clock.js";
import { stateStoreDelegationHealth } from "../../adapters/state/state-store-delegation-health.js";
import type { Settings } from "../../config/schema.js";
import { type CheckResult, doctorPassed } from "../../domain/doctor/check-result.js";
import { doctorChecks } from "../../usecases/doctor/doctor-checks.js";
import type { DoctorConfig } from "../../usecases/doctor/doctor-ports.js";
import { runDoctor } from "../../usecases/doctor/run-doctor.js";
import { type CliSettings, type GlobalOptions, openState, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { openDeadLetters } from "../dead-letter-source.js";
import { forDoctor, openGoogle, openThreeCx } from "../doctor/doctor-adapters.js";
import { settingsFailures, settingsResult } from "../doctor/settings-results.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderDoctor } from "../render/doctor-lines.js";
import { readDeploymentOutputs } from "../setup/deployment-outputs.js";
import { googleApisInUse, neededScopes, neededScopesByAccount } from "../setup/feature-needs.js";
import { threecxSecretHint } from "../setup/secret-hint.js";

export interface DoctorOptions {
  json: boolean;
  outputs?: string;
  /** Seconds each check may take. */
  timeout: number;
}

/**
 * `gw3cx doctor`: every check at once, one line each. Exit 0 when nothing failed (warnings
 * allowed), 78 when the settings themselves are invalid, 1 when another check failed.
 */
export async function runDoctorCommand(global: GlobalOptions, options: DoctorOptions): Promise<ExitCode> {
  let cli: CliSettings;
  try {
    cli = await resolveCliSettings(global);
  } catch (error) {
    const results = settingsFailures(error);
    print(results, options.json);
    return EXIT.config;
  }
  const settings = forDoctor(cli.settings, options.timeout);
  const logger = createCliLogger({ verbose: global.verbose, level: settings.logLevel });
  const state = await openState(settings, global.state);
  const deadLetters = await openDeadLetters(cli, global.state, state);
  const google = await openGoogle(settings, logger, cli.env);
  const threecx = openThreeCx(settings, logger, state, cli.env);
  try {
    const config = doctorConfig(settings, options, global.state === "sqlite", {
      googleUnavailable: "error" in google ? google.error : undefined,
      threecxUnavailable: "error" in threecx ? threecx.error : undefined,
    });
    // Transcription on this machine uses the offline engine; in the cloud, Speech-to-Text.
    const localTranscriber = config.localTranscription
      ? new (await import("../../adapters/local/pocketsphinx-transcriber.js")).PocketsphinxTranscriber()
      : undefined;
    const ports = {
      state,
      delegationHealth: stateStoreDelegationHealth(state),
      deadLetters,
      clock: systemClock,
      ...(localTranscriber ? { localTranscriber } : {}),
      ...("ports" in google ? { google: google.ports } : {}),
      ...("client" in threecx ? { threecx: threecx.client } : {}),
    };
    const results = [
      settingsResult(settings, describeSource(cli)),
      ...(await runDoctor(doctorChecks(config), ports, config)),
    ];
    print(results, options.json);
    return doctorPassed(results) ? EXIT.ok : EXIT.failed;
  } finally {
    if ("client" in threecx) await threecx.client.close();
    await deadLetters.close?.();
    await state.close();
  }
}

function print(results: CheckResult[], json: boolean): void {
  if (json) output.json({ ok: doctorPassed(results), checks: results });
  else output.out(renderDoctor(results));
}

function describeSource(cli: CliSettings): string {
  if (cli.localStack) return "the running `npm start`";
  return cli.env.GW3CX_CONFIG ? String(cli.env.GW3CX_CONFIG) : "the environment";
}

function doctorConfig(
  settings: Settings,
  options: DoctorOptions,
  local: boolean,
  unavailable: { googleUnavailable?: string; threecxUnavailable?: string },
): DoctorConfig {
  const outputs = readDeploymentOutputs(options.outputs);
  const account = settings.google.serviceAccountEmail;
  const clientId = outputs?.delegatingAccounts.find((a) => a.account === account)?.clientId;
  return {
    adminSubject: settings.google.adminSubject,
    serviceAccountEmail: account,
    ...(clientId ? { delegationClientId: clientId } : {}),
    scopes: neededScopes(settings),
    ...(outputs ? { deployedAccounts: outputs.delegatingAccounts } : {}),
    scopesByAccount: neededScopesByAccount(settings),
    apis: googleApisInUse(settings),
    gcpProjectId: settings.gcp.projectId,
    threecxUrl: settings.threecx.url,
    threecxClientId: settings.threecx.clientId,
    threecxSecretHint: threecxSecretHint(settings),
    ...(unavailable.googleUnavailable ? { googleUnavailable: unavailable.googleUnavailable } : {}),
    ...(unavailable.threecxUnavailable ? { threecxUnavailable: unavailable.threecxUnavailable } : {}),
    syncUsers: settings.syncUsers,
    syncPersonalContacts: settings.syncPersonalContacts,
    calendarPresence: settings.calendarPresence,
    localTranscription: local && settings.transcription.enabled,
    ...(settings.storage.remoteArchiving
      ? { remoteArchiving: { bucket: settings.storage.bucket, folders: settings.storage.archiveTypes } }
      : {}),
    checkTimeoutMs: options.timeout * 1000,
  };
}
