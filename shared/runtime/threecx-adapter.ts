import {
  clientOptionsFromSettings,
  createThreeCxClient,
  type ThreeCxClient,
} from "../adapters/threecx/client.js";
import { resolveSecret } from "../config/resolve-secret.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import { requireSetting } from "./require-setting.js";

export function createThreeCx(
  settings: Settings,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): ThreeCxClient {
  const secretRef = requireSetting(
    settings.threecx.clientSecret,
    "threecx.clientSecret",
    "a reference to the 3CX API client secret, e.g. env:NAME",
  );
  return createThreeCxClient(
    clientOptionsFromSettings(
      settings.threecx,
      resolveSecret(secretRef, "threecx.clientSecret", env),
      logger,
    ),
  );
}
