import type { LogEventDefinition } from "../log-event-definition.js";

/** The 3CX XAPI client. */
export const threecxLogEvents = {
  threecxTokenAcquired: { severity: "DEBUG", message: "3CX access token acquired" },
  threecxTokenRejected: { severity: "INFO", message: "3CX refused the access token; fetching a new one" },
  threecxRequestRetrying: { severity: "WARNING", message: "3CX request failed; retrying" },
  threecxWriteRecovered: {
    severity: "WARNING",
    message: "3CX write had no answer but was applied; using what the PBX holds instead of repeating it",
  },
  threecxFilterFallback: {
    severity: "WARNING",
    message: "3CX refused a $filter; reading the whole collection and filtering here",
  },
  threecxPageSizeReduced: {
    severity: "WARNING",
    message: "3CX refused the page size; reading smaller pages",
  },
} as const satisfies Record<string, LogEventDefinition>;
