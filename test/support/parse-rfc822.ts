/**
 * A reader of the MIME messages gw3cx writes, for tests: headers (unfolded, RFC 2047 words
 * decoded), multipart trees, base64 and 7bit bodies, RFC 2231 file names. Written from the RFCs,
 * independently of the composer, so a test reads what any mail client would.
 */
export interface ParsedPart {
  headers: Map<string, string>;
  /** Content-Type without parameters, lower case. */
  type: string;
  params: Map<string, string>;
  body: Buffer;
  parts: ParsedPart[];
  filename?: string;
}

export function parseRfc822(raw: Buffer | string): ParsedPart {
  return parsePart(
    Buffer.isBuffer(raw) ? raw.toString("latin1") : Buffer.from(raw, "utf8").toString("latin1"),
  );
}

/** Every leaf part, depth first. */
export function leaves(part: ParsedPart): ParsedPart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}

export function textOf(part: ParsedPart): string {
  return part.body.toString("utf8");
}

function parsePart(text: string): ParsedPart {
  const split = text.indexOf("\r\n\r\n");
  const head = split < 0 ? text : text.slice(0, split);
  const rawBody = split < 0 ? "" : text.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`not a header line: ${JSON.stringify(line)}`);
    headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const [type = "text/plain", params] = parseParams(headers.get("content-type") ?? "text/plain");
  const part: ParsedPart = { headers, type: type.toLowerCase(), params, body: Buffer.alloc(0), parts: [] };
  if (part.type.startsWith("multipart/")) {
    const boundary = params.get("boundary");
    if (!boundary) throw new Error("multipart without boundary");
    const sections = rawBody.split(`--${boundary}`);
    if (!rawBody.includes(`--${boundary}--`)) throw new Error(`multipart ${boundary} is not closed`);
    for (const section of sections.slice(1)) {
      if (section.startsWith("--")) break;
      part.parts.push(parsePart(section.replace(/^\r\n/, "").replace(/\r\n$/, "")));
    }
    return part;
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  part.body =
    encoding === "base64"
      ? Buffer.from(rawBody.replace(/\s+/g, ""), "base64")
      : Buffer.from(rawBody, "latin1");
  const [, disposition] = parseParams(headers.get("content-disposition") ?? "");
  part.filename = disposition.get("filename") ?? params.get("name");
  return part;
}

/** `type; a="b"; c*=UTF-8''d%20e` -> [type, {a: b, c: "d e"}]. */
function parseParams(value: string): [string, Map<string, string>] {
  const [first = "", ...rest] = value.split(";");
  const params = new Map<string, string>();
  for (const piece of rest) {
    const eq = piece.indexOf("=");
    if (eq < 0) continue;
    const name = piece.slice(0, eq).trim().toLowerCase();
    let val = piece.slice(eq + 1).trim();
    if (name.endsWith("*")) {
      const [, , encoded = ""] = val.split("'");
      params.set(name.slice(0, -1), decodeURIComponent(encoded));
      continue;
    }
    if (val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, "$1");
    params.set(name, val);
  }
  return [first.trim(), params];
}

/** RFC 2047: encoded words decoded, the white space between two adjacent ones dropped. */
function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  const joined = value.replace(/(\?=)\s+(=\?)/g, "$1$2");
  return joined.replace(word, (_, charset: string, kind: string, text: string) => {
    if (charset.toUpperCase() !== "UTF-8") throw new Error(`unexpected charset ${charset}`);
    const data =
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            "latin1",
          );
    return data.toString("utf8");
  });
}
