import { randomBytes } from "node:crypto";
import type { MailAttachment, OutgoingMail } from "../../ports/mail.js";

/**
 * Builds the RFC 822 (2822/5322) MIME message Gmail's users.messages.send takes as `raw`.
 * Small on purpose: text, optional HTML alternative, attachments; every part base64 so no line
 * length or charset question arises. Header values with CR/LF are refused (header injection).
 */
export function composeRfc822(
  mail: OutgoingMail,
  options: { date?: Date; boundarySeed?: string } = {},
): Buffer {
  const seed = options.boundarySeed ?? randomBytes(12).toString("hex");
  const headers: Array<[string, string]> = [
    ["From", mailbox(mail.from, mail.fromName)],
    ["To", mail.to.map(headerValue).join(", ")],
  ];
  if (mail.cc && mail.cc.length > 0) headers.push(["Cc", mail.cc.map(headerValue).join(", ")]);
  headers.push(
    ["Subject", encodeHeaderWord(headerValue(mail.subject))],
    ["Date", (options.date ?? new Date()).toUTCString().replace("GMT", "+0000")],
    ["Message-ID", `<${seed}.gw3cx@${domainOf(mail.from)}>`],
    ["MIME-Version", "1.0"],
  );

  const body = mail.html === undefined ? textPart(mail.text, "text/plain") : alternative(mail, `alt-${seed}`);
  const attachments = mail.attachments ?? [];
  const root =
    attachments.length === 0
      ? body
      : multipart("mixed", `mixed-${seed}`, [body, ...attachments.map(attachmentPart)]);

  const head = headers.map(([name, value]) => `${name}: ${value}`).join("\r\n");
  return Buffer.from(`${head}\r\n${root}`, "utf8");
}

/** Gmail's `raw`: the whole message, base64url without padding. */
export function toGmailRaw(message: Buffer): string {
  return message.toString("base64url");
}

function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new RangeError("mail header values must not contain line breaks");
  return value;
}

function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at >= 0 ? address.slice(at + 1).replace(/[>\s]/g, "") : "localhost";
}

/** Longest text one encoded word carries: 45 bytes are 60 base64 characters, 72 with the `=?UTF-8?B?...?=` frame. */
const ENCODED_WORD_BYTES = 45;

/**
 * RFC 2047 encoded words for a non-ASCII header value. RFC 2047 allows at most 75 characters per
 * word and no character split across two, so a long value becomes several words, each on its own
 * folded line (CRLF and a space, which a reader removes between encoded words).
 */
function encodeHeaderWord(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = "";
  for (const char of value) {
    if (Buffer.byteLength(chunk + char, "utf8") > ENCODED_WORD_BYTES) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, "utf8").toString("base64")}?=`).join("\r\n ");
}

/** `address`, or `Name <address>` with the name quoted (ASCII) or encoded (anything else). */
function mailbox(address: string, name: string | undefined): string {
  const addr = headerValue(address);
  if (!name) return addr;
  const display = headerValue(name);
  const shown = /^[\x20-\x7e]*$/.test(display)
    ? `"${display.replace(/(["\\])/g, "\\$1")}"`
    : encodeHeaderWord(display);
  return `${shown} <${addr}>`;
}

function base64Lines(data: Buffer): string {
  return (data.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

/** A part: its own headers, a blank line, its body (no trailing line break). */
function textPart(text: string, type: "text/plain" | "text/html"): string {
  return [
    `Content-Type: ${type}; charset="UTF-8"`,
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(Buffer.from(text, "utf8")),
  ].join("\r\n");
}

function alternative(mail: OutgoingMail, boundary: string): string {
  return multipart("alternative", boundary, [
    textPart(mail.text, "text/plain"),
    textPart(mail.html ?? "", "text/html"),
  ]);
}

function attachmentPart(attachment: MailAttachment): string {
  const name = headerValue(attachment.filename);
  const ascii = /^[\x20-\x21\x23-\x7e]*$/.test(name);
  const filename = ascii ? `filename="${name}"` : `filename*=UTF-8''${encodeURIComponent(name)}`;
  return [
    // name= as well: some readers still take the file name only from Content-Type.
    `Content-Type: ${headerValue(attachment.contentType)}; ${filename.replace("filename", "name")}`,
    "Content-Transfer-Encoding: base64",
    `Content-Disposition: attachment; ${filename}`,
    "",
    base64Lines(attachment.content),
  ].join("\r\n");
}

function multipart(kind: "mixed" | "alternative", boundary: string, parts: string[]): string {
  return [
    `Content-Type: multipart/${kind}; boundary="${boundary}"`,
    "",
    ...parts.map((part) => `--${boundary}\r\n${part}`),
    `--${boundary}--`,
  ].join("\r\n");
}
