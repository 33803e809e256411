import { SCOPES } from "../../adapters/google/scopes.js";
import type { Settings } from "../../config/schema.js";
import type { GoogleApiInUse, NeededScope } from "../../usecases/doctor/doctor-ports.js";

/** What a feature switched on in the settings needs from Google. */
interface FeatureNeeds {
  feature: string;
  on: (settings: Settings) => boolean;
  scopes: readonly string[];
  apis: readonly GoogleApiInUse[];
}

const ADMIN_SDK: GoogleApiInUse = {
  api: "directory",
  service: "admin.googleapis.com",
  title: "Admin SDK API",
};
const CALENDAR: GoogleApiInUse = {
  api: "calendar",
  service: "calendar-json.googleapis.com",
  title: "Google Calendar API",
};
const PEOPLE: GoogleApiInUse = { api: "people", service: "people.googleapis.com", title: "People API" };

/** gw3cx's own mail goes out when held runs are mailed (and digested) or voicemail transcripts are. */
const sendsMail = (s: Settings) => s.safeguard.adminEmail !== undefined || s.transcription.mailVoicemails;

/**
 * Each feature and what it needs, in the order `gw3cx setup` lists them. The Directory is always
 * read: user sync, presence and contacts all start from the Workspace users, and the status page
 * asks it who is an admin.
 */
const FEATURES: readonly FeatureNeeds[] = [
  { feature: "user sync", on: () => true, scopes: SCOPES.directoryUsers, apis: [ADMIN_SDK] },
  {
    feature: "sync by group (syncType selectedGroups)",
    on: (s) => s.syncType === "selectedGroups",
    scopes: SCOPES.directoryGroupMembers,
    apis: [],
  },
  {
    feature: "calendar presence",
    on: (s) => s.calendarPresence,
    scopes: SCOPES.calendarEvents,
    apis: [CALENDAR],
  },
  {
    feature: "personal contacts",
    on: (s) => s.syncPersonalContacts,
    scopes: SCOPES.contacts,
    apis: [PEOPLE],
  },
  {
    feature: "gw3cx's own mail (held runs, digest, voicemail transcripts)",
    on: sendsMail,
    scopes: SCOPES.gmailSend,
    apis: [],
  },
];

/** The delegated scopes the enabled features need, each once, with the first feature needing it. */
export function neededScopes(settings: Settings): NeededScope[] {
  const seen = new Map<string, NeededScope>();
  for (const f of FEATURES.filter((f) => f.on(settings))) {
    for (const scope of f.scopes) if (!seen.has(scope)) seen.set(scope, { scope, neededFor: f.feature });
  }
  return [...seen.values()];
}

/** The Google APIs doctor reads once each (Gmail has no read within gmail.send, so it is not among them). */
export function googleApisInUse(settings: Settings): GoogleApiInUse[] {
  return FEATURES.filter((f) => f.on(settings)).flatMap((f) => f.apis);
}

/** The features switched on, as `gw3cx setup` names them. */
export function enabledFeatures(settings: Settings): string[] {
  const names = FEATURES.filter((f) => f.on(settings)).map((f) => f.feature);
  if (settings.mail.configurePbx) names.push("3CX system mail through the SMTP relay");
  if (settings.sso) names.push("Google sign-in to 3CX");
  if (settings.recaptcha.enabled) names.push("reCAPTCHA");
  return names;
}
