import type { BusMessage } from "../../ports/bus.js";
import type { StateStore } from "../../ports/state-store.js";

/** A message that could never be handled, as the daily digest reports it (the payload is not kept). */
export interface DeadLetterRecord {
  /** The dead-letter message's id: a redelivery of it is recorded once. */
  messageId: string;
  topic: string;
  /** gw3cx's reason when gw3cx moved it; "delivery attempts exhausted" when the bus did. */
  reason: string;
  originalTopic?: string;
  at: string;
}

const DEAD_LETTERS = "deadLetters";

/** Dead letters kept in the state store, so the digest finds them wherever they were moved. */
export class DeadLetterStore {
  constructor(private readonly state: StateStore) {}

  /** Records a message read from a dead-letter topic; a second delivery of it changes nothing. */
  async record(topic: string, message: BusMessage): Promise<void> {
    const record: DeadLetterRecord = {
      messageId: message.id,
      topic,
      reason: message.attributes.deadLetterReason ?? "delivery attempts exhausted",
      at: message.publishTime.toISOString(),
      ...(message.attributes.originalTopic ? { originalTopic: message.attributes.originalTopic } : {}),
    };
    await this.state.set(DEAD_LETTERS, safeId(message.id), record as unknown as Record<string, unknown>);
  }

  /** Most recent first, at most `limit`, from `since` on. */
  async since(since: Date, limit = 500): Promise<DeadLetterRecord[]> {
    const docs = await this.state.query<Record<string, unknown>>(DEAD_LETTERS, {
      orderBy: { field: "at", direction: "desc" },
      limit,
    });
    return docs
      .map((doc) => doc.data as unknown as DeadLetterRecord)
      .filter((record) => record.at >= since.toISOString());
  }
}

/** Document ids allow letters, digits, _ and -; a bus message id may carry others. */
function safeId(id: string): string {
  return `m-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 100);
}
