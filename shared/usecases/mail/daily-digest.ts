import type { Logger } from "../../logging/logger.js";
import { TOPICS } from "../../messaging/topics.js";
import type { Clock } from "../../ports/clock.js";
import type { DeadLetter, DeadLetterSource } from "../../ports/dead-letters.js";
import type { Mailer, OutgoingMail } from "../../ports/mail.js";
import type { StateStore } from "../../ports/state-store.js";
import { type SyncRunView, withLiveness } from "../user-sync/run-liveness.js";
import { SyncRunStore } from "../user-sync/sync-run-store.js";
import { GW3CX_SENDER_NAME } from "./held-run-notice.js";

export interface DigestPorts {
  state: StateStore;
  /** Where dead letters are kept (the local log, or the cloud's hold subscriptions). */
  deadLetters: DeadLetterSource;
  clock: Clock;
  logger: Logger;
  mailer?: Mailer;
}

export interface DigestConfig {
  from?: string;
  to?: string;
}

export interface Digest {
  since: string;
  /** Runs that failed, were held or died, or applied with errors. */
  runs: Pick<SyncRunView, "runId" | "trigger" | "status" | "startedAt" | "errors">[];
  /** Newest first; `topic` is the topic whose message failed. */
  deadLetters: Array<DeadLetter & { topic: string }>;
  /** Whether it was mailed (nothing to report, or no sender or recipient: not mailed). */
  mailed: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Dead letters listed per topic; a day with more is summarised by that count already. */
const DEAD_LETTERS_LISTED = 50;

async function recentDeadLetters(
  source: DeadLetterSource,
  since: Date,
): Promise<Array<DeadLetter & { topic: string }>> {
  const summaries = await source.summarize(Object.values(TOPICS), DEAD_LETTERS_LISTED);
  return summaries
    .flatMap(({ topic, newest }) => newest.map((letter) => ({ ...letter, topic })))
    .filter((letter) => letter.at >= since.toISOString())
    .sort((a, b) => b.at.localeCompare(a.at));
}
/** Runs read back to find the day's troubles: more than a day of real-time runs is unusual. */
const RUNS_READ = 500;

/**
 * The daily digest: what went wrong in the last 24 hours (failed, held and abandoned runs, runs
 * with errors, dead letters), mailed to the admin when there is anything to say.
 */
export async function sendDailyDigest(ports: DigestPorts, config: DigestConfig): Promise<Digest> {
  const now = ports.clock.now();
  const since = new Date(now.getTime() - DAY_MS);
  const [runs, deadLetters] = await Promise.all([
    new SyncRunStore(ports.state).latest(RUNS_READ),
    recentDeadLetters(ports.deadLetters, since),
  ]);
  const troubled = runs
    .filter((run) => run.startedAt >= since.toISOString())
    .map((run) => withLiveness(run, now))
    .filter((run) => ["failed", "held", "abandoned"].includes(run.status) || run.errors.length > 0)
    .map(({ runId, trigger, status, startedAt, errors }) => ({ runId, trigger, status, startedAt, errors }));
  const digest = { since: since.toISOString(), runs: troubled, deadLetters, mailed: false };
  if (!ports.mailer || !config.from || !config.to || (troubled.length === 0 && deadLetters.length === 0)) {
    ports.logger.event("mailDigestSkipped", { runs: troubled.length, deadLetters: deadLetters.length });
    return digest;
  }
  try {
    await ports.mailer.send(digestMail(config.from, config.to, digest));
    ports.logger.event("mailDigestSent", { runs: troubled.length, deadLetters: deadLetters.length });
    return { ...digest, mailed: true };
  } catch (error) {
    ports.logger.event("mailDigestFailed", { error });
    throw error;
  }
}

function digestMail(from: string, to: string, digest: Omit<Digest, "mailed">): OutgoingMail {
  const runLines = digest.runs.flatMap((run) => [
    `  ${run.startedAt}  ${run.runId}  ${run.trigger}  ${run.status}${run.errors.length > 0 ? `, ${run.errors.length} errors` : ""}`,
    ...run.errors.slice(0, 5).map((e) => `      ${e.action} ${e.googleId}: ${e.code}: ${e.message}`),
  ]);
  const letterLines = digest.deadLetters.map((letter) => `  ${letter.at}  ${letter.topic}  ${letter.reason}`);
  return {
    from,
    fromName: GW3CX_SENDER_NAME,
    to: [to],
    subject: `gw3cx daily digest: ${digest.runs.length} runs need a look, ${digest.deadLetters.length} dead letters`,
    text: [
      `Since ${digest.since}:`,
      "",
      `Runs that failed, were held, died or had errors (${digest.runs.length}):`,
      ...(runLines.length > 0 ? runLines : ["  none"]),
      "",
      `Messages that could not be handled (${digest.deadLetters.length}):`,
      ...(letterLines.length > 0 ? letterLines : ["  none"]),
      "",
      "Details: gw3cx status (held runs: gw3cx sync --approve RUN).",
    ].join("\n"),
  };
}
