import { GoogleCallerVerifier } from "../adapters/google/google-caller-verifier.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import { authorizeStatusCaller } from "../usecases/status/authorize-status-caller.js";
import { readStatus } from "../usecases/status/read-status.js";
import { approveHeldRun } from "../usecases/user-sync/approve-held-run.js";
import { createFirestoreState, createPubSubDeadLetterSource } from "./cloud-adapters.js";
import { createCloudUserSyncPorts } from "./cloud-user-sync-ports.js";
import { once } from "./once.js";
import { statusConfigFrom } from "./status-config.js";
import type { StatusPageHandlers } from "./status-page/status-requests.js";
import { STATUS_SECTIONS } from "./status-sections.js";
import { userSyncConfigFrom } from "./user-sync-config.js";

/**
 * The status page in the cloud (functions/status-page.ts): Firestore state, the dead letters on
 * their hold subscriptions, callers verified by IAP or ID token and checked to be admins, and an
 * approval run in this function with the user-sync ports, built on the first approval only.
 */
export function cloudStatusHandlers(settings: Settings, logger: Logger): StatusPageHandlers {
  const state = createFirestoreState(settings);
  const deadLetters = createPubSubDeadLetterSource(settings);
  const verifier = new GoogleCallerVerifier(settings.statusPage);
  const userSync = once(() => createCloudUserSyncPorts(settings, logger));
  const config = statusConfigFrom(settings, { host: "cloud", simulators: false });
  return {
    scheme: "https",
    access: (headers) =>
      authorizeStatusCaller(
        headers,
        {
          verifier,
          // Only asked without an admin list: then the first caller builds the Directory client.
          directory: { getUser: async (userKey) => (await userSync()).directory.getUser(userKey) },
          logger,
        },
        settings.statusPage.admins,
      ),
    readStatus: () => readStatus({ state, deadLetters, sections: STATUS_SECTIONS }, config, new Date()),
    approve: async (heldRunId, approver) => {
      const { run } = await approveHeldRun(
        await userSync(),
        userSyncConfigFrom(settings),
        heldRunId,
        `${approver} on the status page`,
      );
      logger.event("statusPageApproval", { heldRunId, runId: run.runId, status: run.status, approver });
      return { runId: run.runId, status: run.status };
    },
  };
}
