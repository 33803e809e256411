import { digestDayOf } from "../../domain/mail/digest-day.js";
import { isGw3cxError } from "../../errors.js";
import { type Digest, type DigestConfig, type DigestPorts, sendDailyDigest } from "./daily-digest.js";

export interface ScheduledDigestConfig extends DigestConfig {
  /** mail.digest: off, a trigger sends nothing. */
  enabled: boolean;
  /** mail.digestTime, HH:MM:SS in timeZone. */
  digestTime: string;
  timeZone: string;
}

export type ScheduledDigestResult =
  | { status: "off" }
  /** This day's digest was already claimed by another trigger (a duplicate or a retry after it). */
  | { status: "alreadySent"; day: string }
  | { status: "done"; day: string; digest: Digest };

/** One document per day whose digest went out (or is going out); its id is the day. */
const DIGEST_DAYS = "digestDays";

/**
 * The scheduled digest (Cloud Scheduler's daily request, or the local timer): at most once per
 * day however often the trigger fires. The day is claimed in the state store before anything is
 * read (create fails for a second claimant, whichever process it runs in); a digest that fails to
 * go out gives the claim back, so the trigger's retry can send it. A process that dies between the
 * claim and the mail leaves the day claimed: that day's digest is lost rather than sent twice.
 */
export async function sendScheduledDigest(
  ports: DigestPorts,
  config: ScheduledDigestConfig,
): Promise<ScheduledDigestResult> {
  if (!config.enabled) {
    ports.logger.event("mailDigestOff", {});
    return { status: "off" };
  }
  const now = ports.clock.now();
  const day = digestDayOf(config.digestTime, config.timeZone, now.getTime());
  try {
    await ports.state.create(DIGEST_DAYS, day, { day, claimedAt: now.toISOString(), status: "sending" });
  } catch (error) {
    if (!isGw3cxError(error, "STATE_ALREADY_EXISTS")) throw error;
    ports.logger.event("mailDigestAlreadySent", { day });
    return { status: "alreadySent", day };
  }
  let digest: Digest;
  try {
    digest = await sendDailyDigest(ports, config);
  } catch (error) {
    await ports.state.delete(DIGEST_DAYS, day);
    throw error;
  }
  await ports.state.update(DIGEST_DAYS, day, {
    status: digest.mailed ? "mailed" : "nothingMailed",
    finishedAt: ports.clock.now().toISOString(),
  });
  return { status: "done", day, digest };
}
