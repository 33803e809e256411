import type { WorkspaceErrorOptions, WorkspaceFailure } from "./directory.js";
import { WorkspaceError } from "./directory.js";

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingMail {
  /** The configured sender: the mailbox the message is sent as (delegation subject). */
  from: string;
  /** Display name shown with the sender, e.g. "gw3cx" (any characters; encoded as needed). */
  fromName?: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  id: string;
  threadId?: string;
}

/** gw3cx's own mail (held runs, errors, transcripts): Gmail API as the sender in the cloud. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
}

export class MailError extends WorkspaceError<`MAIL_${WorkspaceFailure | "TOO_LARGE"}`> {
  constructor(failure: WorkspaceFailure | "TOO_LARGE", message: string, options: WorkspaceErrorOptions = {}) {
    super(`MAIL_${failure}`, failure === "TOO_LARGE" ? "INVALID_REQUEST" : failure, message, options);
  }
}
