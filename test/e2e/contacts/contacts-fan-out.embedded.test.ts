import { afterEach, describe, expect, it } from "vitest";
import { deadLetterTopicOf, MAX_DELIVERY_ATTEMPTS, TOPICS } from "../../../shared/messaging/topics.js";
import type { BusMessage, Subscription } from "../../../shared/ports/bus.js";
import { ContactRunStore } from "../../../shared/usecases/contacts/contact-run-store.js";
import { fanOutContactRequests } from "../../../shared/usecases/contacts/fan-out-contact-requests.js";
import { handleContactsRequest } from "../../../shared/usecases/contacts/handle-contacts-request.js";
import { type ContactsWorld, labelled, person, startContactsWorld } from "./contacts-world.js";

let world: ContactsWorld | undefined;
const subscriptions: Subscription[] = [];
afterEach(async () => {
  for (const s of subscriptions.splice(0)) await s.close();
  await world?.close();
  world = undefined;
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The cloud's nightly path on the in-process bus: one request per user, handled as contacts-worker does. */
describe("nightly contacts fan-out", () => {
  it("one message per user; duplicated deliveries converge: each user counted once, no contact twice", async () => {
    world = await startContactsWorld([
      person("Ada", { contacts: [labelled("Grace"), labelled("Linus")] }),
      person("Bob", { contacts: [labelled("Ken")] }),
    ]);
    const { runtime } = world;
    const ports = { ...runtime.contacts, bus: runtime.userSync.bus };
    const handled: BusMessage[] = [];
    const spec = {
      topic: TOPICS.contactsRequests,
      maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
      deadLetterTopic: deadLetterTopicOf(TOPICS.contactsRequests),
    };
    const handler = async (message: BusMessage) => {
      handled.push(message);
      return handleContactsRequest(message, ports, runtime.contactsConfig);
    };
    // Two workers on two subscriptions: every message is delivered twice, concurrently.
    subscriptions.push(await ports.bus.subscribe({ ...spec, name: "contacts-worker-a" }, handler));
    subscriptions.push(await ports.bus.subscribe({ ...spec, name: "contacts-worker-b" }, handler));
    const deadLetters: BusMessage[] = [];
    subscriptions.push(
      await ports.bus.subscribe(
        { topic: deadLetterTopicOf(TOPICS.contactsRequests), name: "dl-spy" },
        async (m) => {
          deadLetters.push(m);
          return "ack";
        },
      ),
    );

    const started = await fanOutContactRequests(ports, runtime.contactsConfig);
    expect(started).toMatchObject({ status: "running", usersExpected: 3 });
    const runs = new ContactRunStore(runtime.contacts.state);
    const run = await until(
      async () => runs.get(started.runId),
      (r) => r?.status !== "running",
    );
    expect(run).toMatchObject({ status: "applied", users: { done: 2, noLabel: 1, failed: 0 } });
    expect(run?.contacts.created).toBe(3);
    expect(world.phonebook("ada@example.com")).toHaveLength(2);
    expect(world.phonebook("bob@example.com")).toHaveLength(1);
    expect(handled.length).toBeGreaterThanOrEqual(6);

    await ports.bus.publish(TOPICS.contactsRequests, { runId: started.runId, user: "nobody" });
    await until(
      async () => deadLetters.length,
      (n) => n >= 1,
    );
    expect(deadLetters.length).toBeGreaterThanOrEqual(1);
  });
});
