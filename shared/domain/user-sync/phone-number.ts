import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/**
 * The comparable and writable form of a phone number: E.164 when the number parses (so
 * "+49 30 1234567" and "+49301234567" are the same number), else the trimmed text as typed,
 * so nothing a user entered is thrown away.
 */
export function normalizePhoneNumber(raw: string | undefined, defaultCountry?: string): string {
  const text = (raw ?? "").trim();
  if (text === "") return "";
  const parsed = parsePhoneNumberFromString(
    text,
    defaultCountry as Parameters<typeof parsePhoneNumberFromString>[1],
  );
  return parsed?.isPossible() ? parsed.number : text;
}

export function isSamePhoneNumber(
  a: string | undefined,
  b: string | undefined,
  defaultCountry?: string,
): boolean {
  return normalizePhoneNumber(a, defaultCountry) === normalizePhoneNumber(b, defaultCountry);
}
