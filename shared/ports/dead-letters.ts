import { Gw3cxError } from "../errors.js";

/** One message kept on a dead-letter path, as a person reviewing failures needs it. */
export interface DeadLetter {
  messageId: string;
  /** Why it was dead-lettered: gw3cx's own reason, or the delivery count Pub/Sub gave up after. */
  reason: string;
  /** When it reached the dead-letter path (ISO). */
  at: string;
}

/** What is waiting on one topic's dead-letter path. */
export interface DeadLetterSummary {
  /** The topic whose messages failed, e.g. gw3cx-directory-changes. */
  topic: string;
  count: number;
  /** True when more may be waiting than `count` says (the source could only sample). */
  atLeast: boolean;
  /** Newest first. */
  newest: DeadLetter[];
}

/**
 * Where failed messages are kept for people to look at. Reading never removes one: a reviewer
 * may read the page as often as they like.
 */
export interface DeadLetterSource {
  summarize(topics: readonly string[], newest: number): Promise<DeadLetterSummary[]>;
}

export class DeadLetterSourceError extends Gw3cxError<"DEAD_LETTERS_UNAVAILABLE"> {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super("DEAD_LETTERS_UNAVAILABLE", message, options);
  }
}
