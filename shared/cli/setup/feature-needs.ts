import { SCOPES } from "../../adapters/google/scopes.js";
import type { Settings } from "../../config/schema.js";
import type { GoogleApiInUse, NeededScope } from "../../usecases/doctor/doctor-ports.js";

type FeatureId = "users" | "groups" | "calendar" | "contacts" | "mail";

/** What a feature switched on in the settings needs from Google. */
interface FeatureNeeds {
  id: FeatureId;
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
  { id: "users", feature: "user sync", on: () => true, scopes: SCOPES.directoryUsers, apis: [ADMIN_SDK] },
  {
    id: "groups",
    feature: "sync by group (syncType selectedGroups)",
    on: (s) => s.syncType === "selectedGroups",
    scopes: SCOPES.directoryGroupMembers,
    apis: [],
  },
  {
    id: "calendar",
    feature: "calendar presence",
    on: (s) => s.calendarPresence,
    scopes: SCOPES.calendarEvents,
    apis: [CALENDAR],
  },
  {
    id: "contacts",
    feature: "personal contacts",
    on: (s) => s.syncPersonalContacts,
    scopes: SCOPES.contacts,
    apis: [PEOPLE],
  },
  {
    id: "mail",
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

/**
 * Which features' scopes each delegating function asks for, by its account id (infra/gw3cx-stack.ts),
 * and, where a function serves a feature only in part, when it does. `gw3cx setup` still asks for
 * the same scopes on every client id (one line to paste); doctor checks each account against what
 * its own function uses, so a scope it never asks for is not reported as "not used yet" forever.
 */
const ACCOUNT_FEATURES: Readonly<
  Record<
    string,
    { features: readonly FeatureId[]; only?: Partial<Record<FeatureId, (s: Settings) => boolean>> }
  >
> = {
  // The real-time worker checks group membership for one user; it never mails (held runs are the
  // full runs').
  "gw3cx-user-sync": { features: ["users", "groups"] },
  "gw3cx-daily-sync": {
    features: ["users", "groups", "calendar", "mail"],
    only: { mail: (s) => s.safeguard.adminEmail !== undefined },
  },
  "gw3cx-presence-worker": { features: ["users", "calendar"] },
  "gw3cx-presence-boundary": { features: ["users", "calendar"] },
  // Who is an admin, and an approval (a full run that was held already, so it mails nothing).
  "gw3cx-status-page": { features: ["users", "groups"] },
  // One user's contacts; the user comes from the run, not from the Directory.
  "gw3cx-contacts": { features: ["contacts"] },
  "gw3cx-transcription": {
    features: ["users", "mail"],
    only: { mail: (s) => s.transcription.mailVoicemails },
  },
};

/**
 * The scopes each known delegating account needs for the features switched on, by account id. An
 * account not listed (renamed, or the single machine's own) is checked against every needed scope.
 */
export function neededScopesByAccount(settings: Settings): Record<string, NeededScope[]> {
  const all = neededScopes(settings);
  const byAccount: Record<string, NeededScope[]> = {};
  for (const [accountId, uses] of Object.entries(ACCOUNT_FEATURES)) {
    const scopes = new Set(
      FEATURES.filter(
        (f) => uses.features.includes(f.id) && f.on(settings) && (uses.only?.[f.id]?.(settings) ?? true),
      ).flatMap((f) => f.scopes),
    );
    byAccount[accountId] = all.filter((needed) => scopes.has(needed.scope));
  }
  return byAccount;
}
