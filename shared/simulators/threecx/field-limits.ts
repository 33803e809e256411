/**
 * Lengths a PBX refuses beyond the spec. The spec gives no maxLength for these properties, but its
 * WARNINGS enum names the checks (LENGTH_NOT_MORE_50_CHARS, LENGTH_NOT_MORE_255_CHARS); which
 * property has which limit is what the 3CX admin console enforces, unverified against a PBX's
 * XAPI. Lengths are counted as .NET's string.Length counts them, in UTF-16 code units: a character
 * outside the Basic Multilingual Plane (most emoji) counts twice.
 */
import { ruleViolation } from "./odata/odata-error.js";

const WARNING_BY_LIMIT: Readonly<Record<number, string>> = {
  50: "WARNINGS.LENGTH_NOT_MORE_50_CHARS",
  255: "WARNINGS.LENGTH_NOT_MORE_255_CHARS",
  2048: "WARNINGS.LENGTH_NOT_MORE_2048_CHARS",
};

/** Longest value of each Pbx.User property the simulator limits. */
export const USER_FIELD_LIMITS: Readonly<Record<string, number>> = {
  FirstName: 50,
  LastName: 50,
  Mobile: 50,
  EmailAddress: 255,
};

/** Refuses the first value of a body longer than its limit in `limits`. */
function assertLimits(body: Record<string, unknown>, limits: Readonly<Record<string, number>>): void {
  for (const [field, limit] of Object.entries(limits)) {
    const value = body[field];
    if (typeof value !== "string" || value.length <= limit) continue;
    throw ruleViolation(
      WARNING_BY_LIMIT[limit] as string,
      field,
      `${field} must not be longer than ${limit} characters (it has ${value.length})`,
    );
  }
}

/** Refuses the first value of a user body (POST or PATCH) longer than its limit. */
export function assertFieldLimits(body: Record<string, unknown>): void {
  assertLimits(body, USER_FIELD_LIMITS);
}

/**
 * Longest value of each Pbx.Contact property the simulator limits: the same checks as a user's
 * names, numbers and email (an assumption like the user limits, unverified against a PBX).
 */
export const CONTACT_FIELD_LIMITS: Readonly<Record<string, number>> = {
  FirstName: 50,
  LastName: 50,
  CompanyName: 50,
  Title: 50,
  Department: 50,
  Email: 255,
  PhoneNumber: 50,
  Mobile2: 50,
  Home: 50,
  Business: 50,
  Business2: 50,
  BusinessFax: 50,
  Pager: 50,
  Other: 50,
};

/** Refuses the first value of a contact body longer than its limit. */
export function assertContactFieldLimits(body: Record<string, unknown>): void {
  assertLimits(body, CONTACT_FIELD_LIMITS);
}
