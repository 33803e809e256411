import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isGw3cxError } from "../../../shared/errors.js";
import type { Bus, BusMessage } from "../../../shared/ports/bus.js";
import { eventually } from "../../support/stand-ins.js";

export interface BusUnderTest {
  name: string;
  open: () => Promise<Bus>;
  limitations?: { deadLetter?: string };
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "no error",
    (e: unknown) => (isGw3cxError(e) ? e.code : e),
  );
}

/** The delivery semantics every Bus adapter must have (Pub/Sub's): run against each adapter. */
export function describeBusContract(subject: BusUnderTest): void {
  describe(`Bus contract: ${subject.name}`, () => {
    const withBus = (run: (bus: Bus) => Promise<void>) => async () => {
      const bus = await subject.open();
      try {
        await run(bus);
      } finally {
        await bus.close();
      }
    };

    it(
      "closing a subscription lets the deliveries in flight finish and takes no new ones",
      withBus(async (bus) => {
        const topic = unique("directory-changes");
        await bus.ensureTopic(topic);
        const finished: string[] = [];
        let started = 0;
        const sub = await bus.subscribe({ topic, name: unique("worker") }, async (m) => {
          started++;
          await new Promise((resolve) => setTimeout(resolve, 300));
          finished.push(m.data.toString());
          return "ack";
        });
        await bus.publish(topic, { n: 1 });
        await eventually(
          () => started,
          (n) => n >= 1,
        );
        await sub.close();
        expect(finished).toEqual(['{"n":1}']);
        await bus.publish(topic, { n: 2 });
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(started).toBe(1);
      }),
    );

    it(
      "delivers a published JSON payload with its attributes, and an acked message is not redelivered",
      withBus(async (bus) => {
        const topic = unique("directory-changes");
        await bus.ensureTopic(topic);
        const received: BusMessage[] = [];
        const sub = await bus.subscribe({ topic, name: unique("worker") }, async (m) => {
          received.push(m);
          return "ack";
        });
        const id = await bus.publish(topic, { googleUserId: "1001", event: "update" }, { kind: "user" });
        await eventually(
          () => received.length,
          (n) => n >= 1,
        );
        expect(received[0]?.id).toBe(id);
        expect(JSON.parse(received[0]?.data.toString() ?? "")).toEqual({
          googleUserId: "1001",
          event: "update",
        });
        expect(received[0]?.attributes).toMatchObject({ kind: "user" });
        expect(received[0]?.deliveryAttempt).toBe(1);
        expect(received[0]?.publishTime).toBeInstanceOf(Date);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(received).toHaveLength(1);
        await sub.close();
      }),
    );

    for (const failure of ["nack", "throw"] as const) {
      it(
        `redelivers a message whose handler ${failure === "nack" ? "nacked it" : "threw"}, counting the delivery attempt`,
        withBus(async (bus) => {
          const topic = unique("calendar-changes");
          await bus.ensureTopic(topic);
          const deliveries: BusMessage[] = [];
          const sub = await bus.subscribe({ topic, name: unique("worker") }, async (m) => {
            deliveries.push(m);
            if (deliveries.length > 1) return "ack";
            if (failure === "throw") throw new Error("transient failure");
            return "nack";
          });
          const id = await bus.publish(topic, { n: 1 });
          await eventually(
            () => deliveries.length,
            (n) => n >= 2,
            10_000,
          );
          expect(deliveries.map((m) => [m.id, m.deliveryAttempt])).toEqual([
            [id, 1],
            [id, 2],
          ]);
          await sub.close();
        }),
      );
    }

    it(
      "fans a message out to every subscription of the topic",
      withBus(async (bus) => {
        const topic = unique("sync-requests");
        await bus.ensureTopic(topic);
        const got: string[] = [];
        const record = (name: string) => async () => {
          got.push(name);
          return "ack" as const;
        };
        const a = await bus.subscribe({ topic, name: unique("a") }, record("a"));
        const b = await bus.subscribe({ topic, name: unique("b") }, record("b"));
        await bus.publish(topic, { run: "daily" });
        await eventually(
          () => got.length,
          (n) => n >= 2,
        );
        expect(got.sort()).toEqual(["a", "b"]);
        await Promise.all([a.close(), b.close()]);
      }),
    );

    it(
      "delivers each of 200 concurrently published messages (at least once, none lost)",
      withBus(async (bus) => {
        const topic = unique("bulk");
        await bus.ensureTopic(topic);
        const seen = new Set<number>();
        const sub = await bus.subscribe({ topic, name: unique("bulk-worker") }, async (m) => {
          seen.add((JSON.parse(m.data.toString()) as { n: number }).n);
          return "ack";
        });
        await Promise.all(Array.from({ length: 200 }, (_, n) => bus.publish(topic, { n })));
        await eventually(
          () => seen.size,
          (n) => n >= 200,
          10_000,
        );
        expect(seen.size).toBe(200);
        await sub.close();
      }),
    );

    it(
      "hands a subscriber at most maxConcurrent messages at once, and more than that when asked",
      withBus(async (bus) => {
        const peakWith = async (maxConcurrent: number) => {
          const topic = unique("burst");
          await bus.ensureTopic(topic);
          let inFlight = 0;
          let peak = 0;
          let done = 0;
          const sub = await bus.subscribe(
            { topic, name: unique("burst-worker"), maxConcurrent },
            async () => {
              peak = Math.max(peak, ++inFlight);
              await new Promise((resolve) => setTimeout(resolve, 50));
              inFlight--;
              done++;
              return "ack";
            },
          );
          await Promise.all(Array.from({ length: 40 }, (_, n) => bus.publish(topic, { n })));
          await eventually(
            () => done,
            (n) => n >= 40,
            10_000,
          );
          await sub.close();
          return peak;
        };
        expect(await peakWith(2)).toBeLessThanOrEqual(2);
        expect(await peakWith(20)).toBeGreaterThan(2);
      }),
    );

    it(
      "refuses a topic that does not exist and names Pub/Sub would refuse",
      withBus(async (bus) => {
        expect(await codeOf(bus.publish(unique("never-created"), {}))).toBe("BUS_TOPIC_NOT_FOUND");
        expect(await codeOf(bus.ensureTopic("goog-reserved"))).toBe("BUS_INVALID_ARGUMENT");
        expect(await codeOf(bus.ensureTopic("x"))).toBe("BUS_INVALID_ARGUMENT");
      }),
    );

    const noDeadLetter = subject.limitations?.deadLetter;
    it.skipIf(Boolean(noDeadLetter))(
      `moves a message to the dead-letter topic after maxDeliveryAttempts${noDeadLetter ? ` (stand-in limitation: ${noDeadLetter})` : ""}`,
      withBus(async (bus) => {
        const topic = unique("user-sync");
        const deadLetterTopic = `${topic}-dead-letter`;
        await bus.ensureTopic(topic);
        await bus.ensureTopic(deadLetterTopic);
        const dead: BusMessage[] = [];
        const dl = await bus.subscribe({ topic: deadLetterTopic, name: unique("dead") }, async (m) => {
          dead.push(m);
          return "ack";
        });
        let attempts = 0;
        const sub = await bus.subscribe(
          { topic, name: unique("worker"), maxDeliveryAttempts: 5, deadLetterTopic },
          async () => {
            attempts++;
            return "nack";
          },
        );
        await bus.publish(topic, { poison: true }, { reason: "test" });
        await eventually(
          () => dead.length,
          (n) => n >= 1,
          10_000,
        );
        expect(attempts).toBe(5);
        expect(JSON.parse(dead[0]?.data.toString() ?? "")).toEqual({ poison: true });
        await Promise.all([sub.close(), dl.close()]);
      }),
    );
  });
}
