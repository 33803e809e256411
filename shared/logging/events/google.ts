import type { LogEventDefinition } from "../log-event-definition.js";

/** Google Workspace adapters: delegation, API calls, push notifications, mail. */
export const googleLogEvents = {
  googleDelegatedTokenIssued: { severity: "DEBUG", message: "delegated Workspace token issued" },
  googleDelegationHealthNotRecorded: {
    severity: "WARNING",
    message: "could not record a delegation outcome for doctor; the call itself is unaffected",
  },
  googleCallRetried: { severity: "WARNING", message: "Google API call failed transiently; retrying" },
  googleSyncTokenInvalidated: {
    severity: "INFO",
    message: "Google refused the sync token; doing a full sync",
  },
  googlePushAccepted: { severity: "DEBUG", message: "push notification accepted" },
  googlePushIgnored: { severity: "DEBUG", message: "push notification ignored (channel sync handshake)" },
  googlePushRejected: { severity: "WARNING", message: "push notification rejected; nothing published" },
  googleMailSent: { severity: "INFO", message: "mail sent through Gmail" },
} as const satisfies Record<string, LogEventDefinition>;
