import { invalid } from "./errors.js";

/** The parts of a multipart/related body: each part's headers (lower-cased) and bytes. */
export function parseMultipartRelated(
  contentType: string,
  body: Buffer,
): { headers: Record<string, string>; body: Buffer }[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/related/i.test(contentType) || !boundary)
    throw invalid(
      `uploadType=multipart needs Content-Type multipart/related with a boundary, got ${contentType}`,
    );
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: Record<string, string>; body: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw invalid("multipart body has no closing boundary");
    const part = body.subarray(start + 2, next - 2); // after CRLF, before the CRLF ending the part
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) throw invalid("multipart part has no header/body separator");
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, split).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}
