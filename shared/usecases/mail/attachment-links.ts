import { randomUUID } from "node:crypto";
import type { Logger } from "../../logging/logger.js";
import type { Clock } from "../../ports/clock.js";
import {
  type MailAttachment,
  MailError,
  type Mailer,
  type OutgoingMail,
  type SentMail,
} from "../../ports/mail.js";
import type { ObjectStorage } from "../../ports/object-storage.js";

/** Gmail's attachment limit for a message (its Help page); the API's 35 MB covers the encoded whole. */
export const GMAIL_ATTACHMENT_LIMIT_BYTES = 25 * 1024 * 1024;
/** Where attachments that became links are kept, under the bucket's own retention. */
export const LINKED_ATTACHMENTS_PREFIX = "mail-attachments/";

export interface AttachmentLinkPorts {
  mailer: Mailer;
  /** Without it a message over the limit is refused (MAIL_TOO_LARGE), never sent cut down. */
  storage?: ObjectStorage;
  clock: Clock;
  logger: Logger;
}

/**
 * Sends mail whose attachments together stay within Gmail's 25 MB: the largest attachments are
 * moved into object storage, one by one, until the rest fits, and each is replaced by a
 * time-limited signed link in the text. Everything else is sent as it came.
 */
export class AttachmentLinkingMailer implements Mailer {
  constructor(
    private readonly ports: AttachmentLinkPorts,
    private readonly linkExpirySeconds: number,
  ) {}

  async send(mail: OutgoingMail): Promise<SentMail> {
    const attachments = mail.attachments ?? [];
    const total = (list: readonly MailAttachment[]) => list.reduce((sum, a) => sum + a.content.length, 0);
    if (total(attachments) <= GMAIL_ATTACHMENT_LIMIT_BYTES) return this.ports.mailer.send(mail);
    const { storage } = this.ports;
    if (!storage) {
      throw new MailError(
        "TOO_LARGE",
        `the attachments are ${total(attachments)} bytes, over Gmail's ${GMAIL_ATTACHMENT_LIMIT_BYTES}, and no object storage is configured for links`,
        { details: { bytes: total(attachments) } },
      );
    }
    const kept = [...attachments].sort((a, b) => a.content.length - b.content.length);
    const linked: MailAttachment[] = [];
    while (total(kept) > GMAIL_ATTACHMENT_LIMIT_BYTES) {
      const largest = kept.pop();
      if (largest) linked.push(largest);
    }
    const expires = new Date(this.ports.clock.now().getTime() + this.linkExpirySeconds * 1000);
    const lines: string[] = [];
    for (const attachment of linked) {
      const path = `${LINKED_ATTACHMENTS_PREFIX}${expires.toISOString().slice(0, 10)}/${randomUUID()}/${safeName(attachment.filename)}`;
      await storage.write(path, attachment.content, { contentType: attachment.contentType, ifAbsent: true });
      const url = await storage.signedReadUrl(path, this.linkExpirySeconds);
      this.ports.logger.event("mailAttachmentLinked", { path, bytes: attachment.content.length });
      lines.push(`${attachment.filename} (${megabytes(attachment.content.length)}): ${url}`);
    }
    const note = [
      "",
      `Too large to attach (Gmail takes 25 MB); download until ${expires.toISOString()}:`,
      ...lines,
    ].join("\n");
    return this.ports.mailer.send({
      ...mail,
      text: `${mail.text}\n${note}`,
      ...(mail.html !== undefined ? { html: `${mail.html}${htmlNote(note)}` } : {}),
      attachments: attachments.filter((a) => !linked.includes(a)),
    });
  }
}

/** A storage path segment: the name's own characters, without separators or controls. */
function safeName(name: string): string {
  const clean = [...name].map((char) => (char < " " || char === "/" || char === "\\" ? "_" : char)).join("");
  return clean.slice(0, 200) || "attachment";
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function htmlNote(note: string): string {
  const escaped = note.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<pre>${escaped}</pre>`;
}
