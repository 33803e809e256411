import { systemClock } from "../adapters/clock/system-clock.js";
import { CloudTasksBoundaryScheduler } from "../adapters/cloud-tasks/cloud-tasks-boundary-scheduler.js";
import { createCloudTasksClient } from "../adapters/cloud-tasks/cloud-tasks-client.js";
import { stateStoreDelegationHealth } from "../adapters/state/state-store-delegation-health.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import { PRESENCE_BOUNDARY_QUEUE } from "../messaging/topics.js";
import type { Bus } from "../ports/bus.js";
import type { People } from "../ports/people.js";
import type { PresencePortsWithBus } from "../usecases/presence/presence-ports.js";
import type { UserSyncPorts } from "../usecases/user-sync/user-sync-ports.js";
import { createFirestoreState, createPubSubBus } from "./cloud-adapters.js";
import { requireSetting } from "./require-setting.js";
import { createThreeCx } from "./threecx-adapter.js";
import { createWorkspaceAdapters } from "./workspace-adapters.js";

/** Boundaries as Cloud Tasks on gw3cx-presence-boundaries, delivered to the boundary function. */
function cloudBoundaryScheduler(settings: Settings, env: NodeJS.ProcessEnv): CloudTasksBoundaryScheduler {
  const projectId = requireSetting(settings.gcp.projectId, "gcp.projectId", "the Google Cloud project id");
  return new CloudTasksBoundaryScheduler(createCloudTasksClient({ projectId }, env), {
    projectId,
    location: settings.gcp.region,
    queue: PRESENCE_BOUNDARY_QUEUE,
    boundaryUrl: requireSetting(
      settings.gcp.presenceBoundaryUrl,
      "gcp.presenceBoundaryUrl",
      "the presence boundary function's HTTPS URL",
    ),
    invokerServiceAccountEmail: requireSetting(
      settings.gcp.boundaryInvokerEmail,
      "gcp.boundaryInvokerEmail",
      "the account Cloud Tasks calls the boundary function as",
    ),
  });
}

/**
 * What the presence functions run on in the cloud: calendars over keyless delegation, 3CX,
 * Firestore, Pub/Sub, and boundaries on the Cloud Tasks queue.
 */
export async function createCloudPresencePorts(
  settings: Settings,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PresencePortsWithBus> {
  return (await createCloudDailyPorts(settings, logger, env)).presence;
}

/**
 * The daily function's ports: user sync (with People, for the contacts fan-out) and presence over one set of clients (one 3CX client, so
 * one token and one concurrency limit on the PBX, one Firestore, one Pub/Sub).
 */
export async function createCloudDailyPorts(
  settings: Settings,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ userSync: UserSyncPorts & { bus: Bus; people: People }; presence: PresencePortsWithBus }> {
  const state = createFirestoreState(settings);
  const { directory, mailer, calendar, people } = await createWorkspaceAdapters(settings, logger, env, {
    delegationHealth: stateStoreDelegationHealth(state),
  });
  const threecx = createThreeCx(settings, logger, state, env);
  const bus = createPubSubBus(settings);
  const common = { directory, threecx, state, bus, clock: systemClock, logger };
  return {
    userSync: { ...common, mailer, people },
    presence: { ...common, calendar, scheduler: cloudBoundaryScheduler(settings, env) },
  };
}
