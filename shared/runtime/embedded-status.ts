import type { IncomingHttpHeaders } from "node:http";
import { DeadLetterLog } from "../usecases/status/dead-letter-log.js";
import { readStatus } from "../usecases/status/read-status.js";
import type { Access } from "../usecases/status/status-access.js";
import type { StatusConfig } from "../usecases/status/status-config.js";
import { approveHeldRun } from "../usecases/user-sync/approve-held-run.js";
import type { Runtime } from "./embedded-runtime.js";
import { outboxStatusSection } from "./outbox-status-section.js";
import { statusConfigFrom } from "./status-config.js";
import type { StatusPageHandlers } from "./status-page/status-requests.js";
import { STATUS_SECTIONS } from "./status-sections.js";

/** The status page on the embedded runtime: SQLite state, the local dead-letter log, approval in-process. */
export function embeddedStatusHandlers(
  runtime: Runtime,
  config: StatusConfig | undefined,
  guard: { access: (headers: IncomingHttpHeaders) => Promise<Access>; csrfToken: string },
): StatusPageHandlers {
  const statusConfig = config ?? statusConfigFrom(runtime.settings, { host: "local", simulators: false });
  const state = runtime.userSync.state;
  return {
    scheme: "http",
    csrfToken: guard.csrfToken,
    access: guard.access,
    readStatus: () =>
      readStatus(
        {
          state,
          deadLetters: new DeadLetterLog(state),
          sections: [...STATUS_SECTIONS, outboxStatusSection(runtime.settings.embedded.stateDbPath)],
        },
        statusConfig,
        new Date(),
      ),
    approve: async (heldRunId, approver) => {
      const { run } = await approveHeldRun(
        runtime.userSync,
        runtime.config,
        heldRunId,
        `${approver} on the status page`,
      );
      return { runId: run.runId, status: run.status };
    },
  };
}
