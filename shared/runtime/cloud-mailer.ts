import { systemClock } from "../adapters/clock/system-clock.js";
import { GcsObjectStorage } from "../adapters/gcs/gcs-object-storage.js";
import type { Settings } from "../config/schema.js";
import type { Logger } from "../logging/logger.js";
import type { Mailer } from "../ports/mail.js";
import { AttachmentLinkingMailer } from "../usecases/mail/attachment-links.js";

/**
 * The cloud's mailer: attachments over Gmail's 25 MB go to the archive bucket (storage.bucket,
 * GW3CX_ARCHIVE_BUCKET) and become V4 signed links; without a bucket such mail is refused
 * (MAIL_TOO_LARGE). The storage client loads only when a message needs it.
 */
export function cloudMailerWithLinks(mailer: Mailer, settings: Settings, logger: Logger): Mailer {
  const bucket = settings.storage.bucket;
  return new AttachmentLinkingMailer(
    {
      mailer,
      ...(bucket ? { storage: new GcsObjectStorage({ bucket }) } : {}),
      clock: systemClock,
      logger,
    },
    settings.mail.linkExpiryHours * 3600,
  );
}
