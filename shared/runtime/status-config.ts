import type { Settings } from "../config/schema.js";
import type { StatusConfig } from "../usecases/status/status-config.js";

/** The status's view of the settings; `simulators` when the bundled demo stands in for the tenant. */
export function statusConfigFrom(
  settings: Settings,
  where: { host: StatusConfig["host"]; simulators: boolean },
): StatusConfig {
  return {
    mode: where.simulators ? "simulators" : "tenant",
    ...(settings.threecx.url ? { pbxUrl: settings.threecx.url } : {}),
    timeZone: settings.timeZone,
    syncTime: settings.gwSyncTime,
    host: where.host,
  };
}
