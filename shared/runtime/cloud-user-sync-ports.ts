import { systemClock } from "../adapters/clock/system-clock.js";
import { stateStoreDelegationHealth } from "../adapters/state/state-store-delegation-health.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import type { People } from "../ports/people.js";
import type { UserSyncPorts } from "../usecases/user-sync/user-sync-ports.js";
import { createFirestoreState } from "./cloud-state.js";
import { createThreeCx } from "./threecx-adapter.js";
import { createWorkspaceAdapters } from "./workspace-adapters.js";

/**
 * What the user-sync functions run on in the cloud: Workspace over keyless delegation, 3CX, Firestore;
 * and People, for the functions that also serve personal contacts.
 */
export async function createCloudUserSyncPorts(
  settings: Settings,
  logger: Logger,
): Promise<UserSyncPorts & { people: People }> {
  const state = createFirestoreState(settings);
  const { directory, mailer, people } = await createWorkspaceAdapters(settings, logger, process.env, {
    delegationHealth: stateStoreDelegationHealth(state),
  });
  return {
    directory,
    mailer,
    people,
    threecx: createThreeCx(settings, logger, state),
    state,
    clock: systemClock,
    logger,
  };
}
