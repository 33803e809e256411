import { type PubSub, v1 } from "@google-cloud/pubsub";
import { deadLetterReasonOf } from "../../messaging/dead-letter-reason.js";
import { holdSubscriptionOf, type TopicName } from "../../messaging/topics.js";
import {
  type DeadLetter,
  type DeadLetterSource,
  DeadLetterSourceError,
  type DeadLetterSummary,
} from "../../ports/dead-letters.js";

/** Messages looked at per topic: enough for a count an admin acts on, small enough to stay fast. */
const SAMPLE_LIMIT = 200;
const PULLS = 3;

/**
 * Dead letters as the cloud keeps them: on each dead-letter topic's hold subscription (infra's
 * messaging.ts). Pub/Sub has no peek and no count, so this pulls, notes what it saw and hands every
 * message straight back (ack deadline 0): nothing is consumed. A pull may return fewer messages
 * than are waiting, so counts are lower bounds (`atLeast`).
 */
export class PubSubDeadLetterSource implements DeadLetterSource {
  private subscriber?: Promise<v1.SubscriberClient>;

  constructor(
    private readonly pubsub: PubSub,
    private readonly projectId: string,
  ) {}

  private client(): Promise<v1.SubscriberClient> {
    this.subscriber ??= this.pubsub.getClientConfig().then(
      // The client config may carry the emulator's port as a string; the gax client wants a number.
      (config) =>
        new v1.SubscriberClient({
          ...config,
          port: config.port === undefined ? undefined : Number(config.port),
        }),
    );
    return this.subscriber;
  }

  async summarize(topics: readonly string[], newest: number): Promise<DeadLetterSummary[]> {
    return Promise.all(topics.map((topic) => this.summarizeOne(topic as TopicName, newest)));
  }

  private async summarizeOne(topic: TopicName, newest: number): Promise<DeadLetterSummary> {
    const client = await this.client();
    const subscription = `projects/${this.projectId}/subscriptions/${holdSubscriptionOf(topic)}`;
    const seen = new Map<string, DeadLetter>();
    const ackIds: string[] = [];
    try {
      // Held messages stay leased to this reader until released, so each pull shows others.
      for (let i = 0; i < PULLS && seen.size < SAMPLE_LIMIT; i++) {
        const [response] = await client.pull({
          subscription,
          maxMessages: SAMPLE_LIMIT - seen.size,
          returnImmediately: true,
        });
        const received = response.receivedMessages ?? [];
        if (received.length === 0) break;
        for (const { ackId, message } of received) {
          if (ackId) ackIds.push(ackId);
          const id = message?.messageId ?? "";
          const seconds = Number(message?.publishTime?.seconds ?? 0);
          const nanos = message?.publishTime?.nanos ?? 0;
          seen.set(id, {
            messageId: id,
            reason: deadLetterReasonOf((message?.attributes ?? {}) as Record<string, string>),
            at: new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString(),
          });
        }
      }
    } catch (cause) {
      throw new DeadLetterSourceError(`cannot read the dead letters of ${topic} (${subscription})`, {
        cause,
        details: { subscription },
      });
    } finally {
      if (ackIds.length > 0)
        await client.modifyAckDeadline({ subscription, ackIds, ackDeadlineSeconds: 0 }).catch(() => {
          // Not handed back: the lease lapses after the subscription's ack deadline by itself.
        });
    }
    const all = [...seen.values()].sort((a, b) => b.at.localeCompare(a.at));
    return { topic, count: all.length, atLeast: true, newest: all.slice(0, newest) };
  }

  async close(): Promise<void> {
    // A client that never came up (no credentials, say) has nothing to close.
    const client = await this.subscriber?.catch(() => undefined);
    await client?.close();
    await this.pubsub.close();
  }
}
