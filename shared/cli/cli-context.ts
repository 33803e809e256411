import { loadSettings } from "../config/load-settings.js";
import type { Settings } from "../config/schema.js";
import { Gw3cxError } from "../errors.js";
import type { Logger } from "../logging/logger.js";
import type { StateStore } from "../ports/state-store.js";
import type { Runtime } from "../runtime/embedded-runtime.js";
import { localDemoCredentialsEnv } from "./local-demo-credentials.js";
import { type LocalStackRecord, localStackRecordPath, readLocalStackRecord } from "./local-stack-record.js";

export type StateKind = "sqlite" | "firestore";

/** The options every command shares. */
export interface GlobalOptions {
  config?: string;
  state: StateKind;
  verbose: boolean;
}

export interface CliSettings {
  settings: Settings;
  /** The environment secret references resolve in (the process's, plus demo credentials for a local stack). */
  env: NodeJS.ProcessEnv;
  /** Set when the settings came from a running `npm start`. */
  localStack?: LocalStackRecord;
}

/** The settings a real tenant needs; named when nothing is configured. */
const TENANT_SETTINGS =
  "threecx.url, threecx.clientId, threecx.clientSecret, google.adminSubject and google.serviceAccountEmail " +
  "(in a settings file given with --config or $GW3CX_CONFIG, or as GW3CX_3CX_URL, GW3CX_3CX_CLIENT_ID, " +
  "GW3CX_3CX_CLIENT_SECRET, GW3CX_GOOGLE_ADMIN_SUBJECT, GW3CX_GOOGLE_SERVICE_ACCOUNT)";

/**
 * Which settings a command runs on, in this order: --config / $GW3CX_CONFIG, then a tenant
 * configured in the environment (threecx.url set), then the local stack a running `npm start`
 * recorded. A ConfigError propagates (exit 78); no settings at all is NOT_CONFIGURED.
 */
export async function resolveCliSettings(
  options: GlobalOptions,
  processEnv: NodeJS.ProcessEnv = process.env,
): Promise<CliSettings> {
  const env: NodeJS.ProcessEnv = {
    ...processEnv,
    ...(options.config ? { GW3CX_CONFIG: options.config } : {}),
  };
  const settings = loadSettings({ env });
  if (env.GW3CX_CONFIG || settings.threecx.url) return { settings, env };

  const recordPath = localStackRecordPath(settings);
  const lookup = readLocalStackRecord(recordPath);
  if (!lookup.found) {
    const stale = lookup.stalePid
      ? ` (${recordPath} is left from process ${lookup.stalePid}, which is no longer running)`
      : "";
    throw new Gw3cxError(
      "NOT_CONFIGURED",
      `nothing to talk to: no tenant is configured and no local gw3cx is running${stale}. ` +
        `Run \`npm start\` in another terminal first, or configure a tenant: ${TENANT_SETTINGS}.`,
      { details: { recordPath } },
    );
  }
  const record = lookup.record;
  const localEnv: NodeJS.ProcessEnv = {
    ...env,
    ...(record.simulators ? await localDemoCredentialsEnv() : {}),
  };
  // The stack's own state file, whatever $GW3CX_STATE_DB says: it only led us to the record.
  delete localEnv.GW3CX_STATE_DB;
  return {
    settings: loadSettings({ env: localEnv, base: record.settings }),
    env: localEnv,
    localStack: record,
  };
}

/*
 * The adapters below are imported when a command opens them, not with this module: the Firestore,
 * Pub/Sub and Google clients take a second to load, and `status` on SQLite needs none of them.
 */

/** The state store alone (enough for `status`): SQLite at embedded.stateDbPath, or Firestore. */
export async function openState(settings: Settings, kind: StateKind): Promise<StateStore> {
  if (kind === "firestore") {
    // The Firestore client honours FIRESTORE_EMULATOR_HOST by itself.
    const { createFirestoreState } = await import("../runtime/cloud-adapters.js");
    return createFirestoreState(settings);
  }
  const { SqliteStateStore } = await import("../adapters/sqlite/sqlite-state-store.js");
  return new SqliteStateStore(settings.embedded.stateDbPath);
}

/** Every user-sync port, on the chosen state; close() when done. */
export async function openRuntime(cli: CliSettings, kind: StateKind, logger: Logger): Promise<Runtime> {
  const { createEmbeddedRuntime } = await import("../runtime/embedded-runtime.js");
  return createEmbeddedRuntime(cli.settings, logger, {
    state: await openState(cli.settings, kind),
    env: cli.env,
  });
}
