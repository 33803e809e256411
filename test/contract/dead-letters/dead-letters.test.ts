import { randomUUID } from "node:crypto";
import { PubSub } from "@google-cloud/pubsub";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessBus } from "../../../shared/adapters/memory/in-process-bus.js";
import { PubSubDeadLetterSource } from "../../../shared/adapters/pubsub/pubsub-dead-letter-source.js";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { deadLetterTopicOf, holdSubscriptionOf, TOPICS } from "../../../shared/messaging/topics.js";
import type { DeadLetterSource } from "../../../shared/ports/dead-letters.js";
import { startDeadLetterHold } from "../../../shared/runtime/embedded-runtime.js";
import { DeadLetterLog } from "../../../shared/usecases/status/dead-letter-log.js";
import { eventually, standInHost } from "../../support/stand-ins.js";

/** A dead-letter path with messages put on it the way its runtime does, and the source that reads it. */
interface DeadLetterWorld {
  source: DeadLetterSource;
  /** Publishes onto a topic's dead-letter topic, as a handler or Pub/Sub's policy does. */
  deadLetter(topic: string, attributes: Record<string, string>): Promise<void>;
  /** Resolves once the source can see `count` messages of the topic. */
  settled(topic: string, count: number): Promise<void>;
  close(): Promise<void>;
}

function describeDeadLetterSource(name: string, open: () => Promise<DeadLetterWorld>): void {
  describe(`DeadLetterSource: ${name}`, () => {
    let world: DeadLetterWorld | undefined;
    afterEach(async () => {
      await world?.close();
      world = undefined;
    });

    it("counts each topic's dead letters, newest reasons first, and reading consumes nothing", async () => {
      world = await open();
      const w = world;
      await w.deadLetter(TOPICS.directoryChanges, { deadLetterReason: "googleUserId is missing" });
      await new Promise((r) => setTimeout(r, 20));
      await w.deadLetter(TOPICS.directoryChanges, { CloudPubSubDeadLetterSourceDeliveryCount: "5" });
      await w.settled(TOPICS.directoryChanges, 2);

      for (let read = 0; read < 2; read++) {
        const [changes, requests] = await w.source.summarize(
          [TOPICS.directoryChanges, TOPICS.syncRequests],
          5,
        );
        expect(changes).toMatchObject({ topic: TOPICS.directoryChanges, count: 2 });
        expect(changes?.newest.map((d) => d.reason)).toEqual([
          "not handled after 5 delivery attempts",
          "googleUserId is missing",
        ]);
        expect(requests).toMatchObject({ topic: TOPICS.syncRequests, count: 0, newest: [] });
      }
    });

    it("lists only as many reasons as asked, but counts them all", async () => {
      world = await open();
      for (let i = 0; i < 4; i++)
        await world.deadLetter(TOPICS.calendarChanges, { deadLetterReason: `reason ${i}` });
      await world.settled(TOPICS.calendarChanges, 4);
      const [calendar] = await world.source.summarize([TOPICS.calendarChanges], 2);
      expect(calendar?.count).toBe(4);
      expect(calendar?.newest).toHaveLength(2);
    });
  });
}

describeDeadLetterSource("the embedded hold (in-process bus -> state store log)", async () => {
  const bus = new InProcessBus();
  const state = new SqliteStateStore(":memory:");
  for (const topic of Object.values(TOPICS)) await bus.ensureTopic(deadLetterTopicOf(topic));
  const hold = await startDeadLetterHold({ bus, state });
  const source = new DeadLetterLog(state);
  return {
    source,
    deadLetter: async (topic, attributes) => {
      await bus.publish(
        deadLetterTopicOf(topic as typeof TOPICS.directoryChanges),
        { googleUserId: "" },
        attributes,
      );
    },
    settled: async (topic, count) => {
      await eventually(
        () => source.summarize([topic], 0),
        ([s]) => s?.count === count,
      );
    },
    close: async () => {
      await Promise.all(hold.map((s) => s.close()));
      await bus.close();
      await state.close();
    },
  };
});

const pubsub = standInHost("pubsubStandIn");
if (pubsub.host) {
  const host = pubsub.host;
  describeDeadLetterSource("Pub/Sub hold subscriptions (on Google's pstest fake)", async () => {
    // A project of its own per test: topic and subscription names are the fixed production ones.
    const projectId = `gw3cx-dl-${randomUUID().slice(0, 8)}`;
    const client = new PubSub({ projectId, apiEndpoint: host, emulatorMode: true });
    for (const topic of Object.values(TOPICS)) {
      const [created] = await client.createTopic(deadLetterTopicOf(topic));
      await created.createSubscription(holdSubscriptionOf(topic), { ackDeadlineSeconds: 60 });
    }
    const source = new PubSubDeadLetterSource(
      new PubSub({ projectId, apiEndpoint: host, emulatorMode: true }),
      projectId,
    );
    return {
      source,
      deadLetter: async (topic, attributes) => {
        await client
          .topic(deadLetterTopicOf(topic as typeof TOPICS.directoryChanges))
          .publishMessage({ data: Buffer.from("{}"), attributes });
      },
      // A pull may return fewer than are waiting: the source's count is a lower bound, so wait for it.
      settled: async (topic, count) => {
        await eventually(
          () => source.summarize([topic], 0),
          ([s]) => s?.count === count,
        );
      },
      close: async () => {
        await source.close();
        await client.close();
      },
    };
  });
} else {
  describe("DeadLetterSource: Pub/Sub", () => {
    it.skip(`skipped: ${pubsub.skipReason}`, () => {});
  });
}
