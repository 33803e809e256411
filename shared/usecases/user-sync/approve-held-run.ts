import { Gw3cxError } from "../../errors.js";
import { type SyncAllUsersResult, syncAllUsers } from "./sync-all-users.js";
import { SyncRunStore } from "./sync-run-store.js";
import type { UserSyncConfig, UserSyncPorts } from "./user-sync-ports.js";

/**
 * `gw3cx sync --approve RUN`: runs the sync again now, letting through the disables the admin saw
 * in the held run. Users who would be disabled now but were not in that list hold the run again.
 */
export async function approveHeldRun(
  ports: UserSyncPorts,
  config: UserSyncConfig,
  heldRunId: string,
  approvedBy = "gw3cx CLI",
): Promise<SyncAllUsersResult> {
  const runs = new SyncRunStore(ports.state);
  const held = await runs.get(heldRunId);
  if (!held)
    throw new Gw3cxError("RUN_NOT_FOUND", `no sync run ${heldRunId}`, { details: { runId: heldRunId } });
  if (held.status !== "held") {
    throw new Gw3cxError("RUN_NOT_HELD", `sync run ${heldRunId} is ${held.status}, not held`, {
      details: { runId: heldRunId, status: held.status },
    });
  }
  const result = await syncAllUsers(ports, config, {
    trigger: "approval",
    approvedDisables: new Set((held.heldDisables ?? []).map((d) => d.googleId)),
    approves: heldRunId,
  });
  if (result.run.status !== "held" && result.run.status !== "off")
    await runs.finish(heldRunId, { status: "approved", approvedBy: `${approvedBy} (${result.run.runId})` });
  return result;
}
