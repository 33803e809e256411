import { PubSubBus } from "../adapters/pubsub/pubsub-bus.js";
import type { Settings } from "../config/schema.js";
import type { Bus, MessageHandler, SubscriptionSpec } from "../ports/bus.js";

/**
 * The Pub/Sub bus for a function that rarely publishes (the contacts worker: only a malformed
 * message, to its dead-letter topic). The client library is some 10 MB of a worker's resident
 * memory (measured: BENCHMARKS.md, personal contacts), so it is imported on the first call, not at
 * start-up; the dynamic import of the package stays outside the bundle (it is installed beside it).
 */
export function lazyPubSubBus(settings: Settings): Bus {
  let bus: Promise<PubSubBus> | undefined;
  const load = () => {
    bus ??= import("@google-cloud/pubsub").then(
      ({ PubSub }) =>
        new PubSubBus(new PubSub(settings.gcp.projectId ? { projectId: settings.gcp.projectId } : {})),
    );
    return bus;
  };
  return {
    ensureTopic: async (topic: string) => (await load()).ensureTopic(topic),
    publish: async (topic: string, payload: unknown, attributes?: Record<string, string>) =>
      (await load()).publish(topic, payload, attributes),
    subscribe: async (spec: SubscriptionSpec, handler: MessageHandler) =>
      (await load()).subscribe(spec, handler),
    close: async () => {
      if (bus) await (await bus).close();
    },
  };
}
