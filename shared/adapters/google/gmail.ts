import { gmail_v1 } from "@googleapis/gmail";
import { MailError, type Mailer, type OutgoingMail, type SentMail } from "../../ports/mail.js";
import { callAsUser, toPortError, type WorkspaceAdapterOptions } from "./delegated-call.js";
import { clientOptions, withTrailingSlash } from "./endpoints.js";
import { composeRfc822, toGmailRaw } from "./rfc822.js";
import { SCOPES } from "./scopes.js";

export type GoogleMailerOptions = WorkspaceAdapterOptions;

/** Gmail's hard cap on a whole message (attachments over 25 MB become signed links upstream). */
export const GMAIL_MAX_MESSAGE_BYTES = 35 * 1024 * 1024;
/** Above this the message goes through the media upload endpoint instead of JSON `raw`. */
const SIMPLE_SEND_MAX_BYTES = 5 * 1024 * 1024;

/** Sends as the configured sender through users.messages.send (delegation subject = sender). */
export class GoogleMailer implements Mailer {
  private readonly gmail: gmail_v1.Gmail;

  constructor(private readonly options: GoogleMailerOptions) {
    this.gmail = new gmail_v1.Gmail(clientOptions(options.apiRootUrl, options.timeoutMs ?? 60_000));
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    let message: Buffer;
    try {
      message = composeRfc822(mail);
    } catch (cause) {
      throw new MailError("INVALID_REQUEST", "the message could not be composed", { cause });
    }
    if (message.length > GMAIL_MAX_MESSAGE_BYTES) {
      throw new MailError(
        "TOO_LARGE",
        `the message is ${message.length} bytes; Gmail accepts at most 35 MB`,
        {
          details: { bytes: message.length },
        },
      );
    }
    const sender = mail.from;
    try {
      const response = await callAsUser(
        this.options,
        { api: "gmail", operation: "users.messages.send", subject: sender, scopes: SCOPES.gmailSend },
        (auth) =>
          message.length <= SIMPLE_SEND_MAX_BYTES
            ? this.gmail.users.messages.send(
                { userId: "me", quotaUser: sender, requestBody: { raw: toGmailRaw(message) } },
                auth,
              )
            : this.gmail.users.messages.send(
                { userId: "me", quotaUser: sender, media: { mimeType: "message/rfc822", body: message } },
                // The generated client builds the upload URL from the per-call rootUrl only, ignoring
                // the client's: without this a simulator run would send the upload to Google.
                {
                  ...auth,
                  ...(this.options.apiRootUrl ? { rootUrl: withTrailingSlash(this.options.apiRootUrl) } : {}),
                },
              ),
      );
      const id = response.data.id ?? "";
      this.options.logger?.event("googleMailSent", { sender, messageId: id, bytes: message.length });
      return { id, threadId: response.data.threadId ?? undefined };
    } catch (error) {
      throw toPortError(
        error,
        (failure, options) =>
          new MailError(failure.failure, `Gmail send failed: ${failure.message}`, options),
      );
    }
  }
}
