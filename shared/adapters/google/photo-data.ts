/**
 * The Directory sends photo bytes as "web-safe base64": '/' -> '_', '+' -> '-', and the padding
 * '=' as either '*' or '.' (both occur). Undo all of them, then decode as ordinary base64.
 */
export function decodeWebSafeBase64(photoData: string): Buffer {
  const standard = photoData.replace(/_/g, "/").replace(/-/g, "+").replace(/[*.]/g, "=");
  return Buffer.from(standard, "base64");
}

/** The inverse, as the Directory writes it (padding as '*' unless told otherwise). */
export function encodeWebSafeBase64(data: Buffer, padding: "*" | "." = "*"): string {
  return data.toString("base64").replace(/\//g, "_").replace(/\+/g, "-").replace(/=/g, padding);
}
