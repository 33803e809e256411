import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription/index.js";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import { Construct } from "constructs";
import {
  deadLetterTopicOf,
  holdSubscriptionOf,
  TOPICS,
  type TopicName,
} from "../../shared/messaging/topics.js";

/** A week: the longest Pub/Sub keeps a message on a subscription. */
export const RETENTION = "604800s";

export interface MessagingProps {
  /** The Pub/Sub service agent (serviceAccount:service-N@gcp-sa-pubsub...), which dead-letters. */
  pubsubServiceAgent: string;
}

/**
 * The topics between webhooks, the scheduler and the workers (names from shared/messaging), each
 * with a dead-letter topic and a pull subscription on it, so a dead-lettered message is kept for a
 * person to look at. Messages carry ids only. The consuming (push) subscriptions are made with
 * their function (push-delivery.ts).
 */
export class Messaging extends Construct {
  readonly topics: Record<TopicName, PubsubTopic>;
  readonly deadLetterTopics: Record<TopicName, PubsubTopic>;
  readonly deadLetterSubscriptions: Record<TopicName, PubsubSubscription>;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const names = Object.values(TOPICS);
    const byName = <T>(make: (name: TopicName) => T) =>
      Object.fromEntries(names.map((name) => [name, make(name)])) as Record<TopicName, T>;

    // A week of retention lets a worker outage of a few days catch up without loss.
    this.topics = byName(
      (name) =>
        new PubsubTopic(this, name, { name, messageRetentionDuration: RETENTION, labels: { app: "gw3cx" } }),
    );
    this.deadLetterTopics = byName((name) => {
      const topic = new PubsubTopic(this, deadLetterTopicOf(name), {
        name: deadLetterTopicOf(name),
        messageRetentionDuration: RETENTION,
        labels: { app: "gw3cx" },
      });
      // Pub/Sub forwards a message here itself after the last delivery attempt.
      new PubsubTopicIamMember(this, `${deadLetterTopicOf(name)}-pubsub-agent`, {
        topic: topic.name,
        role: "roles/pubsub.publisher",
        member: props.pubsubServiceAgent,
      });
      return topic;
    });
    this.deadLetterSubscriptions = byName((name) => {
      const topic = this.deadLetterTopics[name];
      return new PubsubSubscription(this, `${deadLetterTopicOf(name)}-hold`, {
        name: holdSubscriptionOf(name),
        topic: topic.id,
        messageRetentionDuration: RETENTION,
        ackDeadlineSeconds: 60,
        // Nobody pulls this in normal operation: it must not expire after 31 idle days.
        expirationPolicy: { ttl: "" },
        labels: { app: "gw3cx" },
      });
    });
  }
}
