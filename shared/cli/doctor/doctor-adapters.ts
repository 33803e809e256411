import {
  clientOptionsFromSettings,
  createThreeCxClient,
  type ThreeCxClient,
} from "../../adapters/threecx/client.js";
import { stateStoreTokenStore } from "../../adapters/threecx/state-store-token-store.js";
import { ConfigError } from "../../config/config-error.js";
import { resolveSecret } from "../../config/resolve-secret.js";
import type { Settings } from "../../config/schema.js";
import { Gw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import type { StateStore } from "../../ports/state-store.js";
import { createWorkspaceAdapters } from "../../runtime/workspace-adapters.js";
import type { DoctorGooglePorts } from "../../usecases/doctor/doctor-ports.js";

/**
 * Doctor wants an answer quickly: few retries and short requests, so an unreachable service fails
 * its check within the check's time rather than after the full retry window of a sync.
 */
export function forDoctor(settings: Settings, timeoutSeconds: number): Settings {
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

export async function openGoogle(
  settings: Settings,
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<{ ports: DoctorGooglePorts } | { error: string }> {
  try {
    const adapters = await createWorkspaceAdapters(settings, logger, env);
    const { tokens, directory, calendar, people } = adapters;
    // Loaded here, not with the adapters: only doctor reads IAM, and the functions need not carry it.
    const { IamServiceAccountIds } = await import("../../adapters/google/service-account-ids.js");
    const clientIds = new IamServiceAccountIds({
      sourceCredential: adapters.sourceCredential,
      apiRootUrl: settings.google.apiRootUrl,
      timeoutMs: settings.google.requestTimeoutMs,
    });
    return { ports: { tokens, clientIds, directory, calendar, people } };
  } catch (error) {
    return { error: unavailableBecause(error) };
  }
}

/**
 * Its own XAPI client whose token is always fetched afresh (so a wrong secret shows), then shared
 * through the state like every other one: 3CX keeps one token per API client, and a running
 * gw3cx picks the new one up instead of having it revoked under it.
 */
export function openThreeCx(
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
