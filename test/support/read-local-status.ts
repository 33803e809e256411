import type { StateStore } from "../../shared/ports/state-store.js";
import { DeadLetterLog } from "../../shared/usecases/status/dead-letter-log.js";
import { type Gw3cxStatus, readStatus } from "../../shared/usecases/status/read-status.js";
import type { StatusConfig } from "../../shared/usecases/status/status-config.js";

export const LOCAL_DEMO_STATUS: StatusConfig = {
  mode: "simulators",
  timeZone: "UTC",
  syncTime: "02:00:00",
  host: "local",
};

/** The status as the local stack reads it: its state, its dead-letter log. */
export function readLocalStatus(
  state: StateStore,
  now: Date,
  config = LOCAL_DEMO_STATUS,
): Promise<Gw3cxStatus> {
  return readStatus({ state, deadLetters: new DeadLetterLog(state) }, config, now);
}
