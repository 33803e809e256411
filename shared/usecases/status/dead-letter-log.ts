import { deadLetterReasonOf } from "../../messaging/dead-letter-reason.js";
import type { BusMessage } from "../../ports/bus.js";
import type { DeadLetter, DeadLetterSource, DeadLetterSummary } from "../../ports/dead-letters.js";
import type { StateStore } from "../../ports/state-store.js";

const DEAD_LETTERS = "deadLetters";

interface StoredDeadLetter extends Record<string, unknown> {
  topic: string;
  messageId: string;
  reason: string;
  at: string;
}

/**
 * The single machine's hold subscription: the embedded runtime subscribes to each dead-letter topic
 * and records every message here, so `gw3cx status` in another terminal and the page both see them
 * (the cloud keeps them on Pub/Sub instead: PubSubDeadLetterSource).
 */
export class DeadLetterLog implements DeadLetterSource {
  constructor(private readonly state: StateStore) {}

  async record(topic: string, message: BusMessage): Promise<void> {
    const stored: StoredDeadLetter = {
      topic,
      messageId: message.id,
      reason: deadLetterReasonOf(message.attributes),
      at: message.publishTime.toISOString(),
    };
    // Keyed by message id: a redelivered message is recorded once.
    await this.state.set(DEAD_LETTERS, `${topic}.${message.id}`, stored);
  }

  async summarize(topics: readonly string[], newest: number): Promise<DeadLetterSummary[]> {
    return Promise.all(
      topics.map(async (topic) => {
        const docs = await this.state.query<StoredDeadLetter>(DEAD_LETTERS, {
          where: [["topic", "==", topic]],
        });
        const all: DeadLetter[] = docs
          .map((d) => ({ messageId: d.data.messageId, reason: d.data.reason, at: d.data.at }))
          .sort((a, b) => b.at.localeCompare(a.at));
        return { topic, count: all.length, atLeast: false, newest: all.slice(0, newest) };
      }),
    );
  }
}
