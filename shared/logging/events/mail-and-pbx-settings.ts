import type { LogEventDefinition } from "../log-event-definition.js";

/** PBX settings (mail, reCAPTCHA, sign-in), gw3cx's own mail, and the reCAPTCHA verify function. */
export const mailAndPbxSettingsLogEvents = {
  pbxSettingsPlanned: { severity: "INFO", message: "PBX settings planned" },
  pbxSettingsApplied: { severity: "INFO", message: "PBX settings applied" },
  mailWrittenToOutbox: { severity: "INFO", message: "mail written to the local outbox as an .eml file" },
  mailAttachmentLinked: {
    severity: "INFO",
    message: "an attachment over Gmail's limit was stored and replaced by a time-limited link",
  },
  mailDigestSent: { severity: "INFO", message: "the daily digest of failures was mailed" },
  mailDigestSkipped: {
    severity: "INFO",
    message: "no daily digest: nothing failed, or no sender or recipient",
  },
  mailDigestFailed: { severity: "ERROR", message: "could not mail the daily digest" },
  mailDigestOff: { severity: "INFO", message: "the daily digest is off (mail.digest: false); nothing sent" },
  mailDigestAlreadySent: {
    severity: "INFO",
    message: "this day's digest was already sent by an earlier trigger; not sent again",
  },
  mailDigestUnavailable: {
    severity: "WARNING",
    message: "a digest request reached a function without the digest (mail.digest off here); acknowledged",
  },
  mailDigestTimerFailed: {
    severity: "ERROR",
    message: "the scheduled daily digest failed; tomorrow's is still due",
  },
  recaptchaAssessed: { severity: "INFO", message: "a reCAPTCHA token was assessed" },
  recaptchaRateLimited: { severity: "WARNING", message: "reCAPTCHA verify requests over the rate limit" },
  recaptchaAssessmentFailed: { severity: "ERROR", message: "reCAPTCHA createAssessment failed" },
} as const satisfies Record<string, LogEventDefinition>;
