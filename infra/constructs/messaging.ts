import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { Construct } from "constructs";

/** The topics between webhooks, the scheduler and the workers. Messages carry ids only. */
export const TOPICS = ["directory-changes"] as const;
export type TopicName = (typeof TOPICS)[number];

export class Messaging extends Construct {
  readonly topics: Record<TopicName, PubsubTopic>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topics = Object.fromEntries(
      TOPICS.map((name) => [
        name,
        new PubsubTopic(this, name, {
          name: `gw3cx-${name}`,
          // A week of retention lets a worker outage of a few days catch up without loss.
          messageRetentionDuration: "604800s",
          labels: { app: "gw3cx" },
        }),
      ]),
    ) as Record<TopicName, PubsubTopic>;
  }
}
