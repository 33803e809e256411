/**
 * Removes secrets from anything about to be logged. Keys that name a secret lose their value
 * whatever it is; strings that look like credentials (bearer headers, JWTs, OAuth access tokens)
 * are masked wherever they appear, so a token inside an error message is not printed either.
 */
export const REDACTED = "[redacted]";

const SECRET_KEY =
  /(pass(word)?|secret|token|authorization|cookie|assertion|signature|private_?key|api_?key|credential)/i;
/** Keys whose names contain "token" but hold no secret. */
const SAFE_KEYS = new Set(["tokenType", "token_type", "expiresIn", "expires_in", "nextSyncToken_present"]);

const CREDENTIAL_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\bya29\.[A-Za-z0-9._-]+/g, REDACTED],
  [/([?&](?:access_token|client_secret|token|assertion|key)=)[^&\s"]+/gi, `$1${REDACTED}`],
];

export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[too deep]";
  if (typeof value === "string") return redactString(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return redact(
      {
        name: value.name,
        message: value.message,
        code: (value as { code?: unknown }).code,
        cause: value.cause,
        stack: value.stack,
      },
      depth + 1,
    );
  }
  if (typeof value === "object" && value !== null) {
    if (typeof (value as { toJSON?: unknown }).toJSON === "function" && !(value instanceof Date)) {
      return redact((value as { toJSON: () => unknown }).toJSON(), depth + 1);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && !SAFE_KEYS.has(key) && item !== undefined && item !== null
          ? REDACTED
          : redact(item, depth + 1);
    }
    return out;
  }
  return value;
}
