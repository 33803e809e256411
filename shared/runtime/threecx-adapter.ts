import {
  clientOptionsFromSettings,
  createThreeCxClient,
  type ThreeCxClient,
} from "../adapters/threecx/client.js";
import { stateStoreTokenStore } from "../adapters/threecx/state-store-token-store.js";
import { resolveSecret } from "../config/resolve-secret.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import type { StateStore } from "../ports/state-store.js";
import { requireSetting } from "./require-setting.js";

/** The XAPI client; its one token is shared through `state` with every other instance of gw3cx. */
export function createThreeCx(
  settings: Settings,
  logger: Logger,
  state: StateStore,
  env: NodeJS.ProcessEnv = process.env,
): ThreeCxClient {
  const secretRef = requireSetting(
    settings.threecx.clientSecret,
    "threecx.clientSecret",
    "a reference to the 3CX API client secret, e.g. env:NAME",
  );
  const options = clientOptionsFromSettings(
    settings.threecx,
    resolveSecret(secretRef, "threecx.clientSecret", env),
    logger,
  );
  return createThreeCxClient({ ...options, sharedToken: stateStoreTokenStore(state, options.clientId) });
}
