import { describe, expect, it } from "vitest";
import type { Mailer, OutgoingMail } from "../../../shared/ports/mail.js";
import {
  AttachmentLinkingMailer,
  GMAIL_ATTACHMENT_LIMIT_BYTES,
} from "../../../shared/usecases/mail/attachment-links.js";
import { capturedLogger } from "../../support/captured-logger.js";

const clock = { now: () => new Date("2026-11-27T12:00:00Z"), sleep: async () => {} };

describe("AttachmentLinkingMailer without object storage", () => {
  it("refuses a message over 25 MB by name (MAIL_TOO_LARGE) and sends nothing", async () => {
    const sent: OutgoingMail[] = [];
    const inner: Mailer = {
      send: async (mail) => {
        sent.push(mail);
        return { id: "1" };
      },
    };
    const mailer = new AttachmentLinkingMailer(
      { mailer: inner, clock, logger: capturedLogger("t").logger },
      3600,
    );
    const sending = mailer.send({
      from: "admin@example.com",
      to: ["it@example.com"],
      subject: "too big",
      text: "x",
      attachments: [
        {
          filename: "a.bin",
          contentType: "application/octet-stream",
          content: Buffer.alloc(GMAIL_ATTACHMENT_LIMIT_BYTES + 1),
        },
      ],
    });
    await expect(sending).rejects.toMatchObject({ code: "MAIL_TOO_LARGE" });
    expect(sent).toEqual([]);
  });
});
