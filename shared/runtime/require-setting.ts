import { ConfigError } from "../config/config-error.js";

/** A setting the schema leaves optional but this entry point cannot run without. */
export function requireSetting<T>(value: T | undefined, setting: string, allowed: string): T {
  if (value === undefined) {
    throw new ConfigError("CONFIG_INVALID", [{ setting, source: "default", value: "(missing)", allowed }]);
  }
  return value;
}
