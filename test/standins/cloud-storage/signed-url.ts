import { createHash, createVerify, type KeyObject } from "node:crypto";

/** An XML API error, as Cloud Storage answers a signed URL it refuses. */
export class XmlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: string,
  ) {
    super(details);
  }

  body(): string {
    return `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${this.code}</Code><Message>${
      this.code === "ExpiredToken"
        ? "Invalid argument."
        : "The request signature we calculated does not match the signature you provided."
    }</Message><Details>${this.details}</Details></Error>`;
  }
}

/** The client's fixedEncodeURIComponent: encodeURIComponent plus !'()*. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const SIGNED_QUERY = new Set([
  "X-Goog-Algorithm",
  "X-Goog-Credential",
  "X-Goog-Date",
  "X-Goog-Expires",
  "X-Goog-SignedHeaders",
  "X-Goog-Signature",
]);

/**
 * Checks a V4 signed GET (GOOG4-RSA-SHA256): the date and expiry always, the signature against
 * the signer's public key when one was registered for the credential's account.
 * Returns undefined when the request is not a signed URL at all.
 */
export function verifyV4SignedUrl(
  method: string,
  rawPath: string,
  query: URLSearchParams,
  hostHeader: string,
  signers: ReadonlyMap<string, KeyObject>,
  now: Date,
): { account: string } | undefined {
  if (!query.has("X-Goog-Signature")) return undefined;
  for (const key of query.keys()) {
    if (!SIGNED_QUERY.has(key))
      throw new XmlError(
        501,
        "NotImplemented",
        `the stand-in does not implement signed-URL query parameter ${key}`,
      );
  }
  const algorithm = query.get("X-Goog-Algorithm");
  if (algorithm !== "GOOG4-RSA-SHA256")
    throw new XmlError(
      501,
      "NotImplemented",
      `the stand-in does not implement X-Goog-Algorithm ${algorithm}`,
    );
  const date = query.get("X-Goog-Date") ?? "";
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  const expires = Number(query.get("X-Goog-Expires"));
  if (!match || !Number.isInteger(expires) || expires < 1 || expires > 604800)
    throw new XmlError(
      400,
      "AuthenticationRequired",
      "X-Goog-Date or X-Goog-Expires is missing or malformed",
    );
  const [, y, mo, d, h, mi, s] = match;
  const signedAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (now.getTime() > signedAt + expires * 1000) {
    throw new XmlError(
      400,
      "ExpiredToken",
      `Request has expired: ${new Date(signedAt + expires * 1000).toISOString()}`,
    );
  }
  const account = (query.get("X-Goog-Credential") ?? "").split("/")[0] ?? "";
  const key = signers.get(account);
  if (key) {
    const signedHeaders = query.get("X-Goog-SignedHeaders") ?? "";
    if (signedHeaders !== "host")
      throw new XmlError(
        501,
        "NotImplemented",
        `the stand-in checks only the host header, not ${signedHeaders}`,
      );
    const canonicalQuery = [...query.entries()]
      .filter(([name]) => name !== "X-Goog-Signature")
      .map(([name, value]) => [encode(name), encode(value)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([name, value]) => `${name}=${value}`)
      .join("&");
    const hostname = hostHeader.replace(/:\d+$/, "");
    const canonicalRequest = [
      method,
      rawPath,
      canonicalQuery,
      `host:${hostname}\n`,
      "host",
      "UNSIGNED-PAYLOAD",
    ].join("\n");
    const credentialScope = (query.get("X-Goog-Credential") ?? "").split("/").slice(1).join("/");
    const stringToSign = [
      "GOOG4-RSA-SHA256",
      date,
      credentialScope,
      createHash("sha256").update(canonicalRequest).digest("hex"),
    ].join("\n");
    const signature = Buffer.from(query.get("X-Goog-Signature") ?? "", "hex");
    if (!createVerify("RSA-SHA256").update(stringToSign).verify(key, signature))
      throw new XmlError(403, "SignatureDoesNotMatch", `Access denied for ${account}`);
  }
  return { account };
}
