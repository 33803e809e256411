import { systemClock } from "../../adapters/clock/system-clock.js";
import {
  clientOptionsFromSettings,
  createThreeCxClient,
  type ThreeCxClient,
} from "../../adapters/threecx/client.js";
import { stateStoreTokenStore } from "../../adapters/threecx/state-store-token-store.js";
import { ConfigError } from "../../config/config-error.js";
import { resolveSecret } from "../../config/resolve-secret.js";
import type { Settings } from "../../config/schema.js";
import { type CheckResult, doctorPassed, fail, pass } from "../../domain/doctor/check-result.js";
import { Gw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import type { StateStore } from "../../ports/state-store.js";
import { createWorkspaceAdapters } from "../../runtime/workspace-adapters.js";
import { doctorChecks } from "../../usecases/doctor/doctor-checks.js";
import type { DoctorConfig, DoctorGooglePorts } from "../../usecases/doctor/doctor-ports.js";
import { runDoctor } from "../../usecases/doctor/run-doctor.js";
import { type CliSettings, type GlobalOptions, openState, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { openDeadLetters } from "../dead-letter-source.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderDoctor } from "../render/doctor-lines.js";
import { readDeploymentOutputs } from "../setup/deployment-outputs.js";
import { googleApisInUse, neededScopes } from "../setup/feature-needs.js";
import { threecxSecretHint } from "../setup/secret-hint.js";

export interface DoctorOptions {
  json: boolean;
  outputs?: string;
  /** Seconds each check may take. */
  timeout: number;
}

const SETTINGS = "settings-valid";

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
    const config = doctorConfig(settings, options, {
      googleUnavailable: "error" in google ? google.error : undefined,
      threecxUnavailable: "error" in threecx ? threecx.error : undefined,
    });
    const ports = {
      state,
      deadLetters,
      clock: systemClock,
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

/** The settings every deployment needs; the schema leaves them optional so `npm start` needs none. */
const TENANT_SETTINGS = [
  ["threecx.url", (s: Settings) => s.threecx.url],
  ["threecx.clientId", (s: Settings) => s.threecx.clientId],
  ["threecx.clientSecret", (s: Settings) => s.threecx.clientSecret],
  ["google.adminSubject", (s: Settings) => s.google.adminSubject],
  ["google.serviceAccountEmail", (s: Settings) => s.google.serviceAccountEmail],
] as const;

function settingsResult(settings: Settings, source: string): CheckResult {
  const missing = TENANT_SETTINGS.filter(([, value]) => value(settings) === undefined).map(([name]) => name);
  if (missing.length === 0) return pass(SETTINGS, `settings read from ${source}`);
  return fail(
    SETTINGS,
    `settings read from ${source}, but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set`,
    "set them (README: Settings); the checks that need them say so too",
  );
}

function print(results: CheckResult[], json: boolean): void {
  if (json) output.json({ ok: doctorPassed(results), checks: results });
  else output.out(renderDoctor(results));
}

/** A bad settings file is a FAIL line per problem, naming the setting and the value. */
function settingsFailures(error: unknown): CheckResult[] {
  if (error instanceof ConfigError) {
    return error.problems.map((p) =>
      fail(
        SETTINGS,
        `${p.setting} (${p.source}) = ${p.value}: ${p.allowed}`,
        `correct ${p.setting} in ${p.source}`,
      ),
    );
  }
  if (error instanceof Gw3cxError)
    return [fail(SETTINGS, error.message, "configure a tenant, or run `npm start`")];
  throw error;
}

function describeSource(cli: CliSettings): string {
  if (cli.localStack) return "the running `npm start`";
  return cli.env.GW3CX_CONFIG ? String(cli.env.GW3CX_CONFIG) : "the environment";
}

/**
 * Doctor wants an answer quickly: few retries and short requests, so an unreachable service fails
 * its check within the check's time rather than after the full retry window of a sync.
 */
function forDoctor(settings: Settings, timeoutSeconds: number): Settings {
  const requestMs = Math.max(100, Math.min(timeoutSeconds * 1000 - 500, 10_000));
  return {
    ...settings,
    google: {
      ...settings.google,
      maxRetries: 1,
      retryWindowMs: 1_000,
      requestTimeoutMs: Math.min(settings.google.requestTimeoutMs, requestMs),
    },
    threecx: {
      ...settings.threecx,
      maxRetries: 0,
      requestTimeoutMs: Math.min(settings.threecx.requestTimeoutMs, requestMs),
    },
  };
}

async function openGoogle(
  settings: Settings,
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<{ ports: DoctorGooglePorts } | { error: string }> {
  try {
    const adapters = await createWorkspaceAdapters(settings, logger, env);
    const { tokens, directory, calendar, people } = adapters;
    return { ports: { tokens, clientIds: adapters.serviceAccountIds, directory, calendar, people } };
  } catch (error) {
    return { error: unavailableBecause(error) };
  }
}

/**
 * Its own XAPI client whose token is always fetched afresh (so a wrong secret shows), then shared
 * through the state like every other one: 3CX keeps one token per API client, and a running
 * gw3cx picks the new one up instead of having it revoked under it.
 */
function openThreeCx(
  settings: Settings,
  logger: Logger,
  state: StateStore,
  env: NodeJS.ProcessEnv,
): { client: ThreeCxClient } | { error: string } {
  try {
    if (!settings.threecx.clientSecret) throw missing("threecx.clientSecret");
    const secret = resolveSecret(settings.threecx.clientSecret, "threecx.clientSecret", env);
    const options = clientOptionsFromSettings(settings.threecx, secret, logger);
    const shared = stateStoreTokenStore(state, options.clientId);
    return {
      client: createThreeCxClient({
        ...options,
        sharedToken: { load: async () => undefined, save: shared.save },
      }),
    };
  } catch (error) {
    return { error: unavailableBecause(error) };
  }
}

/** Why a side could not be built, on one line: the settings it lacks, or the error's message. */
function unavailableBecause(error: unknown): string {
  if (error instanceof ConfigError) {
    return error.problems.map((p) => `${p.setting} = ${p.value}: ${p.allowed}`).join("; ");
  }
  if (error instanceof Gw3cxError) return error.message;
  throw error;
}

function missing(setting: string): ConfigError {
  return new ConfigError("CONFIG_INVALID", [
    { setting, source: "default", value: "(missing)", allowed: "required to talk to a 3CX phone system" },
  ]);
}

function doctorConfig(
  settings: Settings,
  options: DoctorOptions,
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
    checkTimeoutMs: options.timeout * 1000,
  };
}
