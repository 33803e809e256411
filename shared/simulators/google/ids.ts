import { randomBytes } from "node:crypto";

const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";

/** Calendar event ids use base32hex characters (a-v, 0-9), 5-1024 long. */
export function newEventId(): string {
  const bytes = randomBytes(20);
  let id = "";
  for (const byte of bytes) id += BASE32HEX[byte % 32];
  return id;
}

/** Directory user ids are 21-digit numbers. */
export function userIdFor(ordinal: number): string {
  return `1${String(ordinal).padStart(20, "0")}`;
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

export function quotedEtag(): string {
  return `"${randomBytes(16).toString("base64url")}"`;
}
