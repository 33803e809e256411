import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Logger } from "../../logging/logger.js";
import type { Mailer, OutgoingMail, SentMail } from "../../ports/mail.js";
import { composeRfc822 } from "../google/rfc822.js";
import { ensurePrivateDirectory } from "../sqlite/private-files.js";

/** The outbox folder beside the local state file: `.gw3cx/outbox/`. */
export function outboxDirOf(stateDbPath: string): string {
  return join(dirname(stateDbPath), "outbox");
}

/**
 * On one machine, every message gw3cx sends is also written as an .eml file into the outbox
 * (any mail program opens it), then handed to `next` (Gmail, or the Workspace simulator's) if
 * there is one: `npm start` shows the mail a held run sends without a mailbox to look in.
 * The file is written first, so a message Gmail refused is still there to read.
 */
export class EmlOutboxMailer implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly next: Mailer | undefined,
    private readonly logger: Logger,
  ) {}

  async send(mail: OutgoingMail): Promise<SentMail> {
    const message = composeRfc822(mail);
    ensurePrivateDirectory(this.dir);
    const id = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`;
    const file = join(this.dir, `${id}.eml`);
    await writeFile(file, message, { mode: 0o600 });
    this.logger.event("mailWrittenToOutbox", { file, bytes: message.length });
    return this.next ? this.next.send(mail) : { id };
  }
}

export interface OutboxEntry {
  file: string;
  writtenAt: string;
  bytes: number;
  subject: string;
  to: string;
}

/** The outbox's messages, newest first, with their subject and recipients read from the file. */
export async function listOutbox(dir: string, limit = 20): Promise<OutboxEntry[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir))
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .reverse()
    .slice(0, limit);
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      const [info, text] = await Promise.all([stat(file), readFile(file, "latin1")]);
      const head = text.slice(0, text.indexOf("\r\n\r\n")).replace(/\r\n[ \t]/g, " ");
      const header = (field: string) =>
        head
          .split("\r\n")
          .find((line) => line.toLowerCase().startsWith(`${field}:`))
          ?.slice(field.length + 1)
          .trim() ?? "";
      return {
        file,
        writtenAt: info.mtime.toISOString(),
        bytes: info.size,
        subject: decodeEncodedWords(header("subject")),
        to: header("to"),
      };
    }),
  );
}

/** RFC 2047 B-encoded UTF-8 words (what the composer writes) back to text. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, data: string) => Buffer.from(data, "base64").toString("utf8"));
}
