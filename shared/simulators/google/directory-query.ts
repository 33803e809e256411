import type { SimUser } from "./directory-state.js";
import { apiError, notImplemented } from "./wire.js";

/**
 * The Directory's user search syntax (users.list `query`), as Google documents it: clauses separated
 * by spaces, all of which must match. A clause is `field=value` (exact), `field:value` (contains the
 * value's words), `field:prefix*` (a word starts with), or a bare term (the start of words of the
 * full name, or of the email). Values with spaces are quoted ('Jane Smith' or "Jane Smith"). Matching ignores
 * case. Documented fields the simulator has no data for (addresses, IMs, managers, ...) are refused as
 * not implemented rather than matching nothing.
 */
export type UserFilter = (user: SimUser) => boolean;

type TextOperator = "=" | ":";

const TEXT_FIELDS: Record<string, (user: SimUser) => string[]> = {
  name: (u) => [`${u.givenName} ${u.familyName}`],
  givenName: (u) => [u.givenName],
  familyName: (u) => [u.familyName],
  email: (u) => [u.primaryEmail],
  orgTitle: (u) => u.organizations.map((o) => o.title ?? ""),
  orgDepartment: (u) => u.organizations.map((o) => o.department ?? ""),
  phone: (u) => u.phones.map((p) => p.value),
};
/** Which operators each text field takes (Google's table); others are refused. */
const TEXT_OPERATORS: Record<string, readonly string[]> = {
  name: ["=", ":"],
  givenName: ["=", ":", ":*"],
  familyName: ["=", ":", ":*"],
  email: ["=", ":", ":*"],
  orgTitle: ["=", ":"],
  orgDepartment: ["=", ":"],
  phone: ["="],
};
const BOOLEAN_FIELDS: Record<string, (user: SimUser) => boolean> = {
  isAdmin: (u) => u.isAdmin,
  isDelegatedAdmin: () => false,
  isSuspended: (u) => u.suspended,
  isArchived: (u) => u.archived,
  isEnrolledIn2Sv: () => false,
  isEnforcedIn2Sv: () => false,
};
/** Documented search fields whose data the simulator does not hold. */
const NOT_IMPLEMENTED_FIELDS = new Set([
  "im",
  "externalId",
  "manager",
  "managerId",
  "directManager",
  "directManagerId",
  "address",
  "addressPoBox",
  "addressExtended",
  "addressStreet",
  "addressLocality",
  "addressRegion",
  "addressPostalCode",
  "addressCountry",
  "orgName",
  "orgDescription",
  "orgCostCenter",
]);

const CLAUSE = /^([A-Za-z][\w.]*)(=|:)(.*)$/s;

function invalid(term: string): never {
  throw apiError(400, "invalidInput", `Invalid Input: ${term}`, { parameter: "query" });
}

/** Splits on spaces outside quotes; quotes stay on the term so a clause can tell quoted values. */
function terms(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
      current += char;
    } else if (/\s/.test(char)) {
      if (current) out.push(current);
      current = "";
    } else current += char;
  }
  if (quote) invalid(text);
  if (current) out.push(current);
  return out;
}

function unquote(value: string): string {
  const m = /^(['"])(.*)\1$/s.exec(value);
  return m ? (m[2] as string) : value;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** `:` — the value's words appear in order, adjacent, among the field's words (the last as a prefix). */
function containsWords(field: string, value: string, lastAsPrefix = false): boolean {
  const have = words(field);
  const want = words(value);
  if (want.length === 0) return false;
  const same = (had: string, wanted: string, last: boolean) =>
    last && lastAsPrefix ? had.startsWith(wanted) : had === wanted;
  for (let i = 0; i + want.length <= have.length; i++) {
    if (want.every((w, j) => same(have[i + j] as string, w, j === want.length - 1))) return true;
  }
  return false;
}

function textTest(field: string, operator: TextOperator, raw: string, term: string): UserFilter {
  const values = TEXT_FIELDS[field] as (user: SimUser) => string[];
  const value = unquote(raw);
  const prefix = operator === ":" && value.endsWith("*");
  const form = prefix ? ":*" : operator;
  if (!TEXT_OPERATORS[field]?.includes(form)) invalid(term);
  const wanted = (prefix ? value.slice(0, -1) : value).toLowerCase();
  if (!wanted) invalid(term);
  if (field === "email") {
    // An address is one word: `:` and `=` compare it whole, `:x*` by its beginning.
    return (u) => values(u).some((v) => (prefix ? v.startsWith(wanted) : v === wanted));
  }
  if (form === "=") return (u) => values(u).some((v) => v.toLowerCase() === wanted);
  if (prefix) return (u) => values(u).some((v) => words(v).some((w) => w.startsWith(wanted)));
  return (u) => values(u).some((v) => containsWords(v, wanted));
}

function clauseTest(term: string): UserFilter {
  const m = CLAUSE.exec(term);
  if (!m) {
    // A bare term: the full name has its words (the last as a word's start), or the email starts with it.
    const value = unquote(term).toLowerCase();
    return (u) =>
      containsWords(`${u.givenName} ${u.familyName}`, value, true) || u.primaryEmail.startsWith(value);
  }
  const [, field = "", operator = "", raw = ""] = m;
  if (field === "orgUnitPath") {
    if (operator !== "=") invalid(term);
    const path = unquote(raw);
    // Google matches the unit and every unit below it.
    return (u) => path === "/" || u.orgUnitPath === path || u.orgUnitPath.startsWith(`${path}/`);
  }
  const flag = BOOLEAN_FIELDS[field];
  if (flag) {
    const value = unquote(raw).toLowerCase();
    if (operator !== "=" || (value !== "true" && value !== "false")) invalid(term);
    return (u) => flag(u) === (value === "true");
  }
  if (field in TEXT_FIELDS) return textTest(field, operator as TextOperator, raw, term);
  if (NOT_IMPLEMENTED_FIELDS.has(field) || field.includes(".")) {
    throw notImplemented(
      "query",
      `field ${field} (${field.includes(".") ? "custom schema" : "search field"})`,
    );
  }
  return invalid(term);
}

export function userQueryFilter(text: string | undefined): UserFilter {
  if (!text?.trim()) return () => true;
  const tests = terms(text).map(clauseTest);
  return (user) => tests.every((test) => test(user));
}
