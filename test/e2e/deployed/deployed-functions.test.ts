import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PubSub } from "@google-cloud/pubsub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_NAME, synthesize } from "../../../infra/synthesize.js";
import { buildFunctions } from "../../../scripts/build-functions.js";
import { ALL_DELEGATED_SCOPES } from "../../../shared/adapters/google/scopes.js";
import { PubSubBus } from "../../../shared/adapters/pubsub/pubsub-bus.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import type { BusMessage, Subscription } from "../../../shared/ports/bus.js";
import {
  DEMO_3CX_CLIENT,
  DEMO_ADMIN,
  demoThreeCxSeed,
} from "../../../shared/simulators/demo/demo-organisation.js";
import { type GoogleSimulator, startGoogleSimulator } from "../../../shared/simulators/google/server.js";
import {
  startThreeCxSimulator,
  type ThreeCxSimulator,
} from "../../../shared/simulators/threecx/simulator.js";
import { MAX_PUSH_BODY_BYTES } from "../../../shared/usecases/user-sync/handle-directory-push.js";
import {
  installArtifact,
  type ServingFunction,
  serveArtifact,
} from "../../support/deployed/function-artifact.js";
import { PushBridge } from "../../support/deployed/push-bridge.js";
import { type StackFunction, SynthesizedStack } from "../../support/deployed/synthesized-stack.js";
import { eventually, standInHost } from "../../support/stand-ins.js";
import { forgeries, postRaw, pushHeaders, userBody } from "../user-sync/push-requests.js";

/**
 * What is deployed, run as Cloud Run functions would run it: the artifacts `npx cdktf synth` zips,
 * each unpacked and installed from its own lockfile in an empty folder, started as its own process
 * with the Functions Framework CLI, with the entry point, environment and secret mounts read from
 * the synthesized stack. The only additions are what the platform provides (port, metadata-server
 * credential) and where Google's endpoints are (the stand-ins and simulators): a setting the code
 * needs that the stack does not give fails here, not in a customer's deploy.
 */
const pubsub = standInHost("pubsubStandIn");
const firestore = standInHost("firestoreStandIn");
const available = Boolean(pubsub.host && firestore.host);
const PROJECT = "gw3cx-deployed-test";
const SECRET_VALUES: Record<string, string> = {
  "gw3cx-threecx-client-secret": DEMO_3CX_CLIENT.secret,
  "gw3cx-channel-token": "deployed-channel-token",
};
/** What the metadata server would hand each function: a token for its own service account. */
const metadataToken = (account: string) => `sim-adc-${account}`;
const topicName = (id: string) => id.replace(/^projects\/[^/]+\/topics\//, "");

describe.skipIf(!available)(
  `deployed artifacts on the cloud stand-ins (functions-framework processes + pstest + Firestore emulator)${available ? "" : ` (skipped: ${pubsub.skipReason || firestore.skipReason})`}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), "gw3cx-deployed-"));
    let stack: SynthesizedStack;
    let threecx: ThreeCxSimulator;
    let google: GoogleSimulator;
    let client: PubSub;
    let bus: PubSubBus;
    let bridge: PushBridge;
    const serving = new Map<string, ServingFunction & { fn: StackFunction }>();
    const functionUrls = new Map<string, string>();
    const deadLetters = new Map<string, BusMessage[]>();
    const subscriptions: Subscription[] = [];
    const resolve = (value: string) => stack.resolve(value, { projectId: PROJECT, functionUrls });
    const byEntryPoint = (entryPoint: string) => {
      const found = [...serving.values()].find((s) => s.fn.entryPoint === entryPoint);
      if (!found) throw new Error(`no function with entry point ${entryPoint} is serving`);
      return found;
    };

    /** The environment Cloud Run gives one function: the stack's, its secrets, the platform's. */
    function environmentOf(fn: StackFunction): Record<string, string> {
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        K_SERVICE: fn.name,
        FUNCTION_TARGET: fn.entryPoint,
        NODE_ENV: "production",
        METADATA_SERVER_DETECTION: "none",
        PUBSUB_EMULATOR_HOST: pubsub.host as string,
        FIRESTORE_EMULATOR_HOST: firestore.host as string,
        GW3CX_GOOGLE_API_ROOT_URL: google.endpoints.apiRootUrl,
        GW3CX_GOOGLE_OAUTH_TOKEN_URL: google.endpoints.oauthTokenUrl,
        GW3CX_GOOGLE_IAM_CREDENTIALS_ROOT_URL: google.endpoints.iamCredentialsRootUrl,
        GW3CX_GOOGLE_SOURCE_TOKEN: "env:GW3CX_METADATA_SERVER_TOKEN",
        GW3CX_METADATA_SERVER_TOKEN: metadataToken(resolve(fn.serviceAccountEmail)),
      };
      for (const [key, value] of Object.entries(fn.environment)) env[key] = resolve(value);
      for (const { key, secret } of fn.secretEnvironment) {
        const id = resolve(secret);
        const value = SECRET_VALUES[id];
        if (value === undefined) throw new Error(`${fn.name} mounts secret ${id}, which has no test value`);
        env[key] = value;
      }
      return env;
    }

    beforeAll(async () => {
      threecx = await startThreeCxSimulator({ seed: demoThreeCxSeed() });
      // The customer's settings, as `npx cdktf synth` would read them from the environment.
      const settings = loadSettings({
        env: {
          GW3CX_3CX_URL: threecx.url,
          GW3CX_3CX_CLIENT_ID: DEMO_3CX_CLIENT.clientId,
          GW3CX_GOOGLE_ADMIN_SUBJECT: DEMO_ADMIN,
          GW3CX_STARTING_EXTENSION: "1000",
          GW3CX_LOG_LEVEL: "warn",
        },
      });
      const dist = join(work, "dist");
      await buildFunctions(process.cwd(), dist);
      const outdir = join(work, "cdktf.out");
      synthesize(settings, { outdir, functionSourceDir: dist });
      stack = new SynthesizedStack(join(outdir, "stacks", STACK_NAME, "cdk.tf.json"));

      // The Admin console side: each function's account exists, the delegating ones are authorised.
      const accounts = [...new Set(stack.functions().map((fn) => resolve(fn.serviceAccountEmail)))];
      const delegating = stack.delegatingAccounts().map(resolve);
      const uniqueId = (account: string) =>
        `1047290000000000001${String(accounts.indexOf(account)).padStart(2, "0")}`;
      google = await startGoogleSimulator({
        // The functions listen on plain loopback http here; Google itself accepts only https.
        allowHttpPushAddresses: true,
        seed: {
          customer: { id: "C0deploy1", domain: "example.com" },
          serviceAccounts: accounts.map((email) => ({
            email,
            uniqueId: uniqueId(email),
            sourceToken: metadataToken(email),
          })),
          domainWideDelegation: delegating.map((email) => ({
            clientId: uniqueId(email),
            scopes: [...ALL_DELEGATED_SCOPES],
          })),
          users: [
            { primaryEmail: DEMO_ADMIN, givenName: "Workspace", familyName: "Admin", isAdmin: true },
            { primaryEmail: "ada@example.com", givenName: "Ada", familyName: "Lovelace" },
          ],
        },
      });

      client = new PubSub({ projectId: PROJECT, apiEndpoint: pubsub.host as string });
      bus = new PubSubBus(new PubSub({ projectId: PROJECT, apiEndpoint: pubsub.host as string }));
      for (const topic of stack.topicNames()) await bus.ensureTopic(topic);

      const functions = stack.functions();
      await Promise.all(
        functions.map((fn) => installArtifact(fn.artifactZip, join(work, "functions", fn.name))),
      );
      // A function whose environment names another's URL starts after it (Terraform's order too).
      let pending = functions;
      while (pending.length > 0) {
        const ready = pending.filter((fn) => {
          try {
            environmentOf(fn);
            return true;
          } catch {
            return false;
          }
        });
        if (ready.length === 0) throw new Error(`cannot start ${pending.map((f) => f.name).join(", ")}`);
        for (const fn of ready) {
          const started = await serveArtifact(join(work, "functions", fn.name), {
            target: fn.entryPoint,
            signatureType: fn.signatureType,
            env: environmentOf(fn),
          });
          serving.set(fn.id, { ...started, fn });
          functionUrls.set(fn.id, started.url);
        }
        pending = pending.filter((fn) => !ready.includes(fn));
      }

      bridge = new PushBridge(client, PROJECT);
      for (const sub of stack.pushSubscriptions())
        await bridge.add({
          name: sub.name,
          topic: topicName(resolve(sub.topic)),
          pushEndpoint: resolve(sub.pushEndpoint),
          ...(sub.deadLetterTopic
            ? {
                deadLetterTopic: topicName(resolve(sub.deadLetterTopic)),
                maxDeliveryAttempts: sub.maxDeliveryAttempts,
              }
            : {}),
        });
      for (const sub of stack.pullSubscriptions()) {
        const topic = topicName(resolve(sub.topic));
        deadLetters.set(topic, []);
        subscriptions.push(
          await bus.subscribe({ topic, name: sub.name }, async (m) => {
            deadLetters.get(topic)?.push(m);
            return "ack";
          }),
        );
      }
    }, 180_000);

    afterAll(async () => {
      await Promise.all(subscriptions.map((s) => s.close()));
      await bridge?.close();
      await Promise.all([...serving.values()].map((s) => s.stop()));
      await bus?.close();
      await client?.close();
      await google?.close();
      await threecx?.close();
      rmSync(work, { recursive: true, force: true });
    });

    const pbxUser = (email: string) =>
      [...threecx.state.users.values()].find((u) => String(u.EmailAddress).toLowerCase() === email) as
        | Record<string, unknown>
        | undefined;

    /** Publishes what a Cloud Scheduler job of the stack publishes; resolves with the message id. */
    async function runSchedulerJob(name: string): Promise<string> {
      const job = stack.schedulerJobs().find((j) => j.name === name);
      if (!job) throw new Error(`the stack has no scheduler job ${name}`);
      return client.topic(topicName(resolve(job.topic))).publishMessage({ data: job.data });
    }

    const answered = (messageId: string) =>
      eventually(
        () => bridge.deliveriesOf(messageId),
        (d) => d.some((x) => x.status >= 200 && x.status < 300),
        30_000,
      );

    it("every function the stack declares loads from its installed artifact", () => {
      const declared = stack.functions().map((fn) => fn.entryPoint);
      expect(declared.sort()).toEqual(["contactsWorker", "dailySync", "directoryWebhook", "userSyncWorker"]);
      expect(serving.size).toBe(declared.length);
    });

    it("the daily Scheduler job's message imports the users and opens the Directory channels to the webhook", async () => {
      const id = await runSchedulerJob("gw3cx-daily-sync");
      const deliveries = await answered(id);
      expect(deliveries.at(-1)?.status).toBe(204);
      expect(pbxUser("ada@example.com")).toMatchObject({ FirstName: "Ada", Enabled: true });
      const channels = google.tenant.channels.active((c) => c.kind === "directory");
      expect(channels.length).toBeGreaterThan(0);
      for (const channel of channels) expect(channel.address).toBe(byEntryPoint("directoryWebhook").url);
    });

    it("a rename in Workspace goes webhook process -> Pub/Sub -> worker process -> 3CX", async () => {
      google.tenant.updateUser("ada@example.com", { givenName: "Augusta Ada" });
      const user = await eventually(
        () => pbxUser("ada@example.com"),
        (u) => u?.FirstName === "Augusta Ada",
        20_000,
      );
      expect(user?.FirstName).toBe("Augusta Ada");
    });

    it("a forged notification is refused by the webhook process and publishes nothing", async () => {
      // Earlier tests' notifications (Google may send several per change) finish arriving first.
      let before = -1;
      while (before !== bridge.deliveries.length) {
        before = bridge.deliveries.length;
        await new Promise((r) => setTimeout(r, 500));
      }
      const response = await fetch(byEntryPoint("directoryWebhook").url, {
        method: "POST",
        headers: {
          "x-goog-channel-id": "forged",
          "x-goog-channel-token": "guess",
          "x-goog-resource-id": "r",
          "x-goog-resource-state": "update",
          "x-goog-message-number": "2",
        },
        body: JSON.stringify({ id: "1" }),
      });
      expect(response.status).toBe(403);
      await new Promise((r) => setTimeout(r, 300));
      expect(bridge.deliveries.length).toBe(before);
    });

    it("the webhook process answers every verification failure identically, and 413 past the body limit", async () => {
      const [open] = google.tenant.channels.active((c) => c.kind === "directory");
      if (!open) throw new Error("the daily function opened no Directory channel");
      const live = { id: open.id, resourceId: open.resourceId };
      const token = SECRET_VALUES["gw3cx-channel-token"] as string;
      const webhookUrl = byEntryPoint("directoryWebhook").url;
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

    it("a malformed change is acked by the worker process to the dead-letter topic with its reason", async () => {
      await bus.publish("gw3cx-directory-changes", { googleUserId: "", event: "update" });
      const dead = await eventually(
        () => deadLetters.get("gw3cx-directory-changes-dead-letter") ?? [],
        (d) => d.length >= 1,
        20_000,
      );
      expect(dead[0]?.attributes.deadLetterReason).toContain('googleUserId = ""');
    });

    it("a malformed sync request is acked by the daily process to its dead-letter topic and runs nothing", async () => {
      const listingsBefore = threecx.stats.requests.ListUser ?? 0;
      const id = await bus.publish("gw3cx-sync-requests", { trigger: "weekly" });
      await answered(id);
      const dead = await eventually(
        () => deadLetters.get("gw3cx-sync-requests-dead-letter") ?? [],
        (d) => d.length >= 1,
        20_000,
      );
      expect(dead[0]?.attributes.deadLetterReason).toContain('trigger = "weekly"');
      expect(threecx.stats.requests.ListUser ?? 0).toBe(listingsBefore);
    });

    it("the renewal Scheduler job's message renews channels without a full sync", async () => {
      const listingsBefore = threecx.stats.requests.ListUser ?? 0;
      const id = await runSchedulerJob("gw3cx-renew-channels");
      const deliveries = await answered(id);
      expect(deliveries.at(-1)?.status).toBe(204);
      expect(threecx.stats.requests.ListUser ?? 0).toBe(listingsBefore);
    });

    it("a change the worker cannot apply (3CX down) is redelivered, then dead-lettered by the subscription's policy", async () => {
      threecx.faults.add({ fault: "status503" });
      try {
        google.tenant.updateUser("ada@example.com", { familyName: "King" });
        const dead = await eventually(
          () =>
            (deadLetters.get("gw3cx-directory-changes-dead-letter") ?? []).filter(
              (m) => m.attributes.CloudPubSubDeadLetterSourceDeliveryCount,
            ),
          (d) => d.length >= 1,
          45_000,
        );
        expect(dead[0]?.attributes.CloudPubSubDeadLetterSourceDeliveryCount).toBe("5");
      } finally {
        threecx.faults.clear();
      }
    }, 60_000);
  },
);
