import type { LogEventDefinition } from "../log-event-definition.js";

/** The status page: who was let in or refused, and approvals made from it. */
export const statusLogEvents = {
  statusPageCallerRejected: { severity: "WARNING", message: "status page: a credential did not verify" },
  statusPageCallerNotAdmin: { severity: "WARNING", message: "status page: caller is not an admin; refused" },
  statusPageApproval: { severity: "INFO", message: "status page: a held run was approved" },
} as const satisfies Record<string, LogEventDefinition>;
