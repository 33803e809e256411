import type { Settings } from "../config/schema.js";
import type { ScheduledDigestConfig } from "../usecases/mail/scheduled-digest.js";

/** The slice of the settings the scheduled digest reads; sender and recipient as `gw3cx digest` uses them. */
export function scheduledDigestConfigFrom(settings: Settings): ScheduledDigestConfig {
  return {
    enabled: settings.mail.digest,
    digestTime: settings.mail.digestTime,
    timeZone: settings.timeZone,
    from: settings.google.mailSender ?? settings.google.adminSubject,
    to: settings.safeguard.adminEmail,
  };
}
