import { ConfigError } from "../../config/config-error.js";
import type { Settings } from "../../config/schema.js";
import { type CheckResult, fail, pass } from "../../domain/doctor/check-result.js";
import { Gw3cxError } from "../../errors.js";

export const SETTINGS_CHECK = "settings-valid";
const SETTINGS = SETTINGS_CHECK;

/** The settings every deployment needs; the schema leaves them optional so `npm start` needs none. */
const TENANT_SETTINGS = [
  ["threecx.url", (s: Settings) => s.threecx.url],
  ["threecx.clientId", (s: Settings) => s.threecx.clientId],
  ["threecx.clientSecret", (s: Settings) => s.threecx.clientSecret],
  ["google.adminSubject", (s: Settings) => s.google.adminSubject],
  ["google.serviceAccountEmail", (s: Settings) => s.google.serviceAccountEmail],
] as const;

export function settingsResult(settings: Settings, source: string): CheckResult {
  const missing = TENANT_SETTINGS.filter(([, value]) => value(settings) === undefined).map(([name]) => name);
  if (missing.length === 0) return pass(SETTINGS, `settings read from ${source}`);
  return fail(
    SETTINGS,
    `settings read from ${source}, but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set`,
    "set them (README: Settings); the checks that need them say so too",
  );
}

/** A bad settings file is a FAIL line per problem, naming the setting and the value. */
export function settingsFailures(error: unknown): CheckResult[] {
  if (error instanceof ConfigError) {
    return error.problems.map((p) =>
      fail(
        SETTINGS,
        `${p.setting} (${p.source}) = ${p.value}: ${p.allowed}`,
        `correct ${p.setting} in ${p.source}`,
      ),
    );
  }
  if (error instanceof Gw3cxError)
    return [fail(SETTINGS, error.message, "configure a tenant, or run `npm start`")];
  throw error;
}
