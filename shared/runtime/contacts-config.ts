import type { Settings } from "../config/schema.js";
import type { ContactSyncConfig } from "../usecases/contacts/contact-sync-ports.js";

/** The slice of the settings personal-contact sync reads. */
export function contactSyncConfigFrom(settings: Settings): ContactSyncConfig {
  return {
    syncPersonalContacts: settings.syncPersonalContacts,
    contactLabel: settings.contactLabel,
    phoneRegion: settings.phoneRegion,
    concurrency: settings.threecx.maxInFlight,
    abandonedRunAfterMs: settings.abandonedRunAfterMs,
  };
}
