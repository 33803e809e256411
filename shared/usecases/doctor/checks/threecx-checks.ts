import { type CheckResult, fail, info, pass, skip, warn } from "../../../domain/doctor/check-result.js";
import { isVersionOlder } from "../../../domain/doctor/pbx-version.js";
import { type ThreeCx, ThreeCxError } from "../../../ports/threecx.js";
import type { DoctorCheck, DoctorConfig } from "../doctor-ports.js";

const REACHABLE = "3cx-reachable";
const API_CLIENT = "3cx-api-client";
const OWNER = "3cx-system-owner";
const VERSION = "3cx-version";
const OWN_SYNC = "3cx-own-google-sync";
/** The XAPI gained the personal-contact functions in 20.0.9. */
export const CONTACTS_MIN_PBX_VERSION = "20.0.9";

/** Failures that mean nothing answered at the URL (as opposed to an answer refusing us). */
const NO_ANSWER = new Set([
  "THREECX_UNREACHABLE",
  "THREECX_NETWORK",
  "THREECX_TIMEOUT",
  "THREECX_UNAVAILABLE",
  "THREECX_PROTOCOL",
]);

/**
 * The PBX, one step on the other: it answers, the API client's token is issued, its role may read
 * GoogleSettings (System Owner only), its version, and whether 3CX's own Google sync is on.
 */
export const threecxChecks: DoctorCheck = {
  names: [REACHABLE, API_CLIENT, VERSION, OWNER, OWN_SYNC],
  async run(ports, config) {
    if (!ports.threecx || !config.threecxUrl) {
      const why = config.threecxUnavailable ?? "3CX is not configured";
      return [fail(REACHABLE, why, "set the 3CX settings named here"), ...skipAfter(REACHABLE)];
    }
    const threecx = ports.threecx;
    let version: string | null;
    try {
      version = await threecx.getSystemVersion();
    } catch (error) {
      return firstCallFailed(error, config);
    }
    const results: CheckResult[] = [
      pass(REACHABLE, `${config.threecxUrl} answers`),
      pass(API_CLIENT, `a token for API client ${config.threecxClientId ?? ""}`.trim()),
      versionResult(version, config),
    ];
    return [...results, ...(await ownerAndOwnSync(threecx))];
  },
};

const CHAIN = [REACHABLE, API_CLIENT, VERSION, OWNER, OWN_SYNC];

function skipAfter(name: string): CheckResult[] {
  return CHAIN.slice(CHAIN.indexOf(name) + 1).map((later) => skip(later, `not checked: ${name} failed`));
}

function firstCallFailed(error: unknown, config: DoctorConfig): CheckResult[] {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ThreeCxError ? error.code : "";
  if (code === "THREECX_AUTH_FAILED") {
    return [
      pass(REACHABLE, `${config.threecxUrl} answers`),
      fail(
        API_CLIENT,
        `the PBX refused API client ${config.threecxClientId ?? "(threecx.clientId)"}: ${message}`,
        `3CX Admin > Integrations > API: check the client id (threecx.clientId) and put its current secret in ${config.threecxSecretHint}`,
      ),
      ...skipAfter(API_CLIENT),
    ];
  }
  if (NO_ANSWER.has(code) || !(error instanceof ThreeCxError)) {
    return [
      fail(
        REACHABLE,
        `${config.threecxUrl} does not answer: ${message}`,
        "check threecx.url (https://FQDN of the PBX), that the PBX runs, and that this machine may reach it (firewall, DNS)",
      ),
      ...skipAfter(REACHABLE),
    ];
  }
  return [
    pass(REACHABLE, `${config.threecxUrl} answers`),
    fail(API_CLIENT, `SystemStatus refused: ${message}`, "see the message; 3CX Admin > Integrations > API"),
    ...skipAfter(API_CLIENT),
  ];
}

function versionResult(version: string | null, config: DoctorConfig): CheckResult {
  if (version === null) return info(VERSION, "the PBX does not report its version (SystemStatus.Version)");
  if (!isVersionOlder(version, CONTACTS_MIN_PBX_VERSION)) return pass(VERSION, `3CX ${version}`);
  const found = `3CX ${version}, older than ${CONTACTS_MIN_PBX_VERSION} (no personal contacts in its XAPI)`;
  if (!config.syncPersonalContacts) return info(VERSION, `${found}; personal contacts are off`);
  return fail(
    VERSION,
    found,
    `update the PBX to ${CONTACTS_MIN_PBX_VERSION} or newer, or set syncPersonalContacts: false`,
  );
}

/** GoogleSettings is readable by a System Owner API client only: the role test and the sync switches in one read. */
async function ownerAndOwnSync(threecx: ThreeCx): Promise<CheckResult[]> {
  try {
    const google = await threecx.getSettings("GoogleSettings");
    const on = [
      google.UserSync?.IsEnabled ? "Sync Google Users" : undefined,
      google.UserSync?.UseCalendarEventsAsPresence ? "Use calendar events as presence" : undefined,
    ].filter((s): s is string => s !== undefined);
    return [
      pass(OWNER, "the API client may read GoogleSettings (System Owner)"),
      on.length === 0
        ? pass(OWN_SYNC, "3CX's own Google user sync and calendar presence are off")
        : warn(
            OWN_SYNC,
            `3CX's own Google integration has ${on.join(" and ")} on: it would fight gw3cx over the same users`,
            `3CX Admin > Users > Google: switch off ${on.join(" and ")}`,
          ),
    ];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ThreeCxError && error.code === "THREECX_FORBIDDEN") {
      return [
        fail(
          OWNER,
          `the API client may not read GoogleSettings: ${message}`,
          "3CX Admin > Integrations > API: edit the client and set its role to System Owner",
        ),
        skip(OWN_SYNC, `not checked: ${OWNER} failed`),
      ];
    }
    return [
      fail(OWNER, `GoogleSettings could not be read: ${message}`, "see the message"),
      skip(OWN_SYNC, `not checked: ${OWNER} failed`),
    ];
  }
}
