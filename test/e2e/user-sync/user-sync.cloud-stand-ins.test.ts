import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PubSub } from "@google-cloud/pubsub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PubSubBus } from "../../../shared/adapters/pubsub/pubsub-bus.js";
import { deadLetterTopicOf, TOPICS } from "../../../shared/messaging/topics.js";
import type { BusMessage, Subscription } from "../../../shared/ports/bus.js";
import {
  DEMO_3CX_CLIENT,
  DEMO_ADMIN,
  DEMO_SERVICE_ACCOUNT,
  demoWorkspaceSeed,
} from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { MAX_PUSH_BODY_BYTES } from "../../../shared/usecases/user-sync/handle-directory-push.js";
import { eventually, standInHost } from "../../support/stand-ins.js";
import { forgeries, postRaw, pushHeaders, userBody } from "./push-requests.js";

/**
 * The cloud path end to end on the local stand-ins: the three function entry files served by the
 * Functions Framework, Google's Pub/Sub fake between them (with a pull-to-push bridge standing in
 * for Eventarc), Firestore on its emulator, and both simulators.
 */
const pubsub = standInHost("pubsubStandIn");
const firestore = standInHost("firestoreStandIn");
const available = Boolean(pubsub.host && firestore.host);
const PROJECT = "gw3cx-test";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Delivers a pulled message the way a Pub/Sub push subscription does; 2xx acks, anything else nacks. */
async function push(url: string, topic: string, message: BusMessage): Promise<"ack" | "nack"> {
  const response = await fetch(`${url}/projects/${PROJECT}/topics/${topic}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      subscription: `projects/${PROJECT}/subscriptions/bridge`,
      message: {
        data: message.data.toString("base64"),
        attributes: message.attributes,
        messageId: message.id,
        publishTime: message.publishTime.toISOString(),
      },
    }),
  });
  return response.ok ? "ack" : "nack";
}

describe.skipIf(!available)(
  `user sync on the cloud stand-ins (functions-framework + pstest + Firestore emulator)${available ? "" : ` (skipped: ${pubsub.skipReason || firestore.skipReason})`}`,
  () => {
    let sims: DemoSimulators;
    let bus: PubSubBus;
    let webhookUrl: string;
    let workerUrl: string;
    let dailyUrl: string;
    const servers: Server[] = [];
    const subscriptions: Subscription[] = [];
    const dead: BusMessage[] = [];
    const deadSyncRequests: BusMessage[] = [];

    beforeAll(async () => {
      const seed = demoWorkspaceSeed();
      sims = await startDemoSimulators({
        google: {
          ...seed,
          users: [
            { primaryEmail: DEMO_ADMIN, givenName: "Workspace", familyName: "Admin", isAdmin: true },
            { primaryEmail: "ada@example.com", givenName: "Ada", familyName: "Lovelace" },
          ],
        },
      });
      Object.assign(process.env, sims.env, {
        PUBSUB_EMULATOR_HOST: pubsub.host,
        FIRESTORE_EMULATOR_HOST: firestore.host,
        GW3CX_GCP_PROJECT: PROJECT,
        GW3CX_LOG_LEVEL: "error",
        GW3CX_STARTING_EXTENSION: "1000",
        GW3CX_3CX_URL: sims.threecx.url,
        GW3CX_3CX_CLIENT_ID: DEMO_3CX_CLIENT.clientId,
        GW3CX_3CX_CLIENT_SECRET: "env:GW3CX_DEMO_3CX_SECRET",
        GW3CX_GOOGLE_API_ROOT_URL: sims.google.endpoints.apiRootUrl,
        GW3CX_GOOGLE_OAUTH_TOKEN_URL: sims.google.endpoints.oauthTokenUrl,
        GW3CX_GOOGLE_IAM_CREDENTIALS_ROOT_URL: sims.google.endpoints.iamCredentialsRootUrl,
        GW3CX_GOOGLE_ADMIN_SUBJECT: DEMO_ADMIN,
        GW3CX_GOOGLE_SERVICE_ACCOUNT: DEMO_SERVICE_ACCOUNT,
        GW3CX_GOOGLE_SOURCE_TOKEN: "env:GW3CX_DEMO_SOURCE_TOKEN",
        GW3CX_GOOGLE_CHANNEL_TOKEN: "env:GW3CX_DEMO_CHANNEL_TOKEN",
      });
      bus = new PubSubBus(new PubSub({ projectId: PROJECT }));
      for (const topic of [
        TOPICS.directoryChanges,
        TOPICS.syncRequests,
        deadLetterTopicOf(TOPICS.directoryChanges),
        deadLetterTopicOf(TOPICS.syncRequests),
      ])
        await bus.ensureTopic(topic);

      const { getTestServer } = await import("@google-cloud/functions-framework/testing");
      await import("../../../functions/directory-webhook.js");
      await import("../../../functions/user-sync-worker.js");
      const webhook = getTestServer("directoryWebhook");
      const worker = getTestServer("userSyncWorker");
      servers.push(webhook, worker);
      webhookUrl = await listen(webhook);
      workerUrl = await listen(worker);
      // The daily job opens the Directory channels to the webhook: it must know the URL before it loads.
      process.env.GW3CX_DIRECTORY_WEBHOOK_URL = webhookUrl;
      await import("../../../functions/daily-sync.js");
      const daily = getTestServer("dailySync");
      servers.push(daily);
      dailyUrl = await listen(daily);

      subscriptions.push(
        await bus.subscribe({ topic: TOPICS.directoryChanges, name: "bridge-user-sync-worker" }, (m) =>
          push(workerUrl, TOPICS.directoryChanges, m),
        ),
        await bus.subscribe(
          { topic: deadLetterTopicOf(TOPICS.directoryChanges), name: "e2e-dead-letter" },
          async (m) => {
            dead.push(m);
            return "ack";
          },
        ),
        await bus.subscribe(
          { topic: deadLetterTopicOf(TOPICS.syncRequests), name: "e2e-sync-dead-letter" },
          async (m) => {
            deadSyncRequests.push(m);
            return "ack";
          },
        ),
      );
    });

    afterAll(async () => {
      await Promise.all(subscriptions.map((s) => s.close()));
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      await bus?.close();
      await sims?.close();
    });

    const pbxUser = (email: string) =>
      [...sims.threecx.state.users.values()].find((u) => String(u.EmailAddress).toLowerCase() === email) as
        | Record<string, unknown>
        | undefined;

    it("the daily function (a Scheduler message) imports the users and opens the Directory channels", async () => {
      const status = await push(dailyUrl, TOPICS.syncRequests, {
        id: "daily-1",
        data: Buffer.from(JSON.stringify({ trigger: "daily" })),
        attributes: {},
        deliveryAttempt: 1,
        publishTime: new Date(),
      });
      expect(status).toBe("ack");
      expect(pbxUser("ada@example.com")).toMatchObject({ FirstName: "Ada", Enabled: true });
    });

    it("a rename in Workspace goes webhook -> Pub/Sub -> worker function -> 3CX", async () => {
      sims.google.tenant.updateUser("ada@example.com", { givenName: "Augusta Ada" });
      const user = await eventually(
        () => pbxUser("ada@example.com"),
        (u) => u?.FirstName === "Augusta Ada",
        15_000,
      );
      expect(user?.FirstName).toBe("Augusta Ada");
    });

    it("a forged notification is refused by the webhook function", async () => {
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: {
          "x-goog-channel-id": "forged",
          "x-goog-channel-token": "guess",
          "x-goog-resource-id": "r",
          "x-goog-resource-state": "update",
          "x-goog-message-number": "1",
        },
        body: JSON.stringify({ id: "1" }),
      });
      expect(response.status).toBe(403);
    });

    it("the webhook function answers every verification failure identically, and 413 past the body limit", async () => {
      const [open] = sims.google.tenant.channels.active((c) => c.kind === "directory");
      if (!open) throw new Error("the daily function opened no Directory channel");
      const live = { id: open.id, resourceId: open.resourceId };
      const token = process.env.GW3CX_DEMO_CHANNEL_TOKEN as string;
      // Expiry needs a recorded channel with a past expiration: covered on the local webhook.
      const checks = forgeries(live, live, token).filter((f) => !f.name.startsWith("expired"));
      const answers = [];
      for (const forgery of checks)
        answers.push({ name: forgery.name, ...(await postRaw(webhookUrl, forgery.headers, userBody("1"))) });
      const [first] = answers;
      expect(first).toMatchObject({ status: 403, body: "" });
      for (const answer of answers) expect({ ...answer, name: first?.name }).toEqual(first);

      const big = userBody("1", MAX_PUSH_BODY_BYTES);
      const headers = pushHeaders(live, token);
      expect((await postRaw(webhookUrl, headers, big)).status).toBe(413);
      expect((await postRaw(webhookUrl, headers, big, { chunked: true })).status).toBe(413);
    });

    it("a malformed message is acked by the worker function to the dead-letter topic with its reason", async () => {
      await bus.publish(TOPICS.directoryChanges, { googleUserId: "", event: "update" });
      const [message] = await eventually(
        () => dead,
        (d) => d.length >= 1,
        15_000,
      );
      expect(message?.attributes.deadLetterReason).toContain('googleUserId = ""');
    });

    it("a malformed sync request is acked by the daily function to its dead-letter topic, and runs nothing", async () => {
      const listingsBefore = sims.threecx.stats.requests.ListUser ?? 0;
      const status = await push(dailyUrl, TOPICS.syncRequests, {
        id: "bad-1",
        data: Buffer.from(JSON.stringify({ trigger: "weekly" })),
        attributes: {},
        deliveryAttempt: 1,
        publishTime: new Date(),
      });
      expect(status).toBe("ack");
      const [message] = await eventually(
        () => deadSyncRequests,
        (d) => d.length >= 1,
        15_000,
      );
      expect(message?.attributes.deadLetterReason).toContain('trigger = "weekly"');
      expect(sims.threecx.stats.requests.ListUser ?? 0).toBe(listingsBefore);
    });

    it("the renewal tick (a Scheduler message) renews channels without a full sync", async () => {
      const listingsBefore = sims.threecx.stats.requests.ListUser ?? 0;
      const status = await push(dailyUrl, TOPICS.syncRequests, {
        id: "tick-1",
        data: Buffer.from(JSON.stringify({ trigger: "renewChannels" })),
        attributes: {},
        deliveryAttempt: 1,
        publishTime: new Date(),
      });
      expect(status).toBe("ack");
      expect(sims.threecx.stats.requests.ListUser ?? 0).toBe(listingsBefore);
    });
  },
);
