import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { Storage } from "@google-cloud/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_NAME, synthesize } from "../../../infra/synthesize.js";
import { buildFunctions } from "../../../scripts/build-functions.js";
import { createCloudTasksClient } from "../../../shared/adapters/cloud-tasks/cloud-tasks-client.js";
import { FirestoreStateStore } from "../../../shared/adapters/firestore/firestore-state-store.js";
import { ALL_DELEGATED_SCOPES, SCOPES } from "../../../shared/adapters/google/scopes.js";
import { PubSubBus } from "../../../shared/adapters/pubsub/pubsub-bus.js";
import { stateStoreDelegationHealth } from "../../../shared/adapters/state/state-store-delegation-health.js";
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
import { LOST_BOUNDARY_AFTER_MS } from "../../../shared/usecases/presence/reconcile-presence.js";
import type { Gw3cxStatus } from "../../../shared/usecases/status/read-status.js";
import { MAX_PUSH_BODY_BYTES } from "../../../shared/usecases/user-sync/handle-directory-push.js";
import { SyncRunStore } from "../../../shared/usecases/user-sync/sync-run-store.js";
import type { RunningStandIn } from "../../standins/process.js";
import { startSpeechStandIn } from "../../standins/speech.js";
import {
  installArtifact,
  type ServingFunction,
  serveArtifact,
} from "../../support/deployed/function-artifact.js";
import { PushBridge } from "../../support/deployed/push-bridge.js";
import { type StackFunction, SynthesizedStack } from "../../support/deployed/synthesized-stack.js";
import { type GoogleSigner, startGoogleSigner } from "../../support/google-signer.js";
import { librivoxClip, wordsFound } from "../../support/speech-clips.js";
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
const cloudTasks = standInHost("cloudTasksStandIn");
const cloudStorage = standInHost("cloudStorageStandIn");
const available = Boolean(pubsub.host && firestore.host && cloudTasks.host && cloudTasks.admin);
const PROJECT = "gw3cx-deployed-test";
const PROJECT_NUMBER = "730000000042";
const SECRET_VALUES: Record<string, string> = {
  "gw3cx-threecx-client-secret": DEMO_3CX_CLIENT.secret,
  "gw3cx-channel-token": "deployed-channel-token",
};
/** What the metadata server would hand each function: a token for its own service account. */
const metadataToken = (account: string) => `sim-adc-${account}`;
const STATUS_IAP_AUDIENCE = "/projects/100000000001/locations/us-central1/services/gw3cx-status-page";
const topicName = (id: string) => id.replace(/^projects\/[^/]+\/topics\//, "");

describe.skipIf(!available)(
  `deployed artifacts on the cloud stand-ins (functions-framework processes + pstest + Firestore emulator + Cloud Tasks stand-in)${available ? "" : ` (skipped: ${pubsub.skipReason || firestore.skipReason || cloudTasks.skipReason})`}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), "gw3cx-deployed-"));
    let stack: SynthesizedStack;
    let threecx: ThreeCxSimulator;
    let google: GoogleSimulator;
    let client: PubSub;
    let bus: PubSubBus;
    let bridge: PushBridge;
    let signer: GoogleSigner;
    let speech: RunningStandIn | undefined;
    const serving = new Map<string, ServingFunction & { fn: StackFunction }>();
    const functionUrls = new Map<string, string>();
    const deadLetters = new Map<string, BusMessage[]>();
    const subscriptions: Subscription[] = [];
    const resolve = (value: string) =>
      stack.resolve(value, { projectId: PROJECT, projectNumber: PROJECT_NUMBER, functionUrls });
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
        CLOUD_TASKS_EMULATOR_HOST: cloudTasks.host as string,
        GW3CX_GOOGLE_API_ROOT_URL: google.endpoints.apiRootUrl,
        GW3CX_GOOGLE_OAUTH_TOKEN_URL: google.endpoints.oauthTokenUrl,
        GW3CX_GOOGLE_IAM_CREDENTIALS_ROOT_URL: google.endpoints.iamCredentialsRootUrl,
        GW3CX_GOOGLE_SOURCE_TOKEN: "env:GW3CX_METADATA_SERVER_TOKEN",
        GW3CX_METADATA_SERVER_TOKEN: metadataToken(resolve(fn.serviceAccountEmail)),
        // Where IAP and Google publish their signing keys: the loopback signer's.
        GW3CX_STATUS_IAP_PUBLIC_KEYS_URL: signer.iapPublicKeysUrl,
        GW3CX_STATUS_ID_TOKEN_CERTS_URL: signer.idTokenCertsUrl,
        ...(cloudStorage.host ? { STORAGE_EMULATOR_HOST: `http://${cloudStorage.host}` } : {}),
        ...(speech ? { SPEECH_EMULATOR_HOST: speech.host } : {}),
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
      signer = await startGoogleSigner();
      threecx = await startThreeCxSimulator({ seed: demoThreeCxSeed() });
      // The customer's settings, as `npx cdktf synth` would read them from the environment.
      const settings = loadSettings({
        env: {
          GW3CX_3CX_URL: threecx.url,
          GW3CX_3CX_CLIENT_ID: DEMO_3CX_CLIENT.clientId,
          GW3CX_GOOGLE_ADMIN_SUBJECT: DEMO_ADMIN,
          GW3CX_STARTING_EXTENSION: "1000",
          GW3CX_CALENDAR_PRESENCE: "true",
          GW3CX_LOG_LEVEL: "warn",
          // IAP fronts the status page; no admin list, so the Directory says who is an admin.
          GW3CX_STATUS_IAP_AUDIENCE: STATUS_IAP_AUDIENCE,
          GW3CX_RECAPTCHA: "true",
          GW3CX_RECAPTCHA_DOMAINS: "www.example.com",
          GW3CX_RECAPTCHA_ALLOWED_ORIGINS: "https://www.example.com",
          GW3CX_TRANSCRIPTION: "true",
        },
      });
      // Speech-to-Text reads the audio from the Cloud Storage stand-in, as Speech reads the bucket.
      if (cloudStorage.host) speech = await startSpeechStandIn({ storageHost: cloudStorage.host });
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
      // The archive bucket and its notifications, as the apply creates them.
      if (cloudStorage.host) {
        const storage = new Storage({ apiEndpoint: `http://${cloudStorage.host}`, projectId: PROJECT });
        for (const n of stack.bucketNotifications()) {
          const bucket = storage.bucket(resolve(n.bucket));
          const [exists] = await bucket.exists();
          if (!exists) await bucket.create();
          await bucket.createNotification(resolve(n.topic), {
            eventTypes: n.eventTypes,
            objectNamePrefix: n.prefix,
            payloadFormat: n.payloadFormat,
          });
        }
      }

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

      // The stack's Cloud Tasks queue, and Cloud Run's front end for the address tasks are sent to.
      const tasks = createCloudTasksClient({ projectId: PROJECT, emulatorHost: cloudTasks.host }, {});
      for (const queue of stack.taskQueues()) {
        const parent = `projects/${PROJECT}/locations/${queue.location}`;
        const seconds = (text: string) => ({ seconds: Number(text.replace(/s$/, "")) });
        await tasks.createQueue({
          parent,
          queue: {
            name: `${parent}/queues/${queue.name}`,
            rateLimits: queue.rateLimits,
            retryConfig: {
              ...queue.retryConfig,
              minBackoff: seconds(queue.retryConfig.minBackoff),
              maxBackoff: seconds(queue.retryConfig.maxBackoff),
            },
          },
        });
      }
      await tasks.close();
      const boundary = byEntryPoint("presenceBoundary");
      const boundaryAddress = resolve(boundary.fn.environment.GW3CX_PRESENCE_BOUNDARY_URL ?? "");
      const routed = await fetch(`http://${cloudTasks.admin}/routes`, {
        method: "PUT",
        body: JSON.stringify({ [new URL(boundaryAddress).origin]: new URL(boundary.url).origin }),
      });
      if (!routed.ok) throw new Error(`cloud-tasks stand-in refused the route: ${await routed.text()}`);

      // Pub/Sub's redelivery backoff (10 s, 20 s, ...) at a twentieth: the order of events is kept.
      bridge = new PushBridge(client, PROJECT, 0.05);
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
          ...(sub.retryBackoffMs ? { retryBackoffMs: sub.retryBackoffMs } : {}),
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
    }, 600_000);

    afterAll(async () => {
      await Promise.all(subscriptions.map((s) => s.close()));
      await bridge?.close();
      await Promise.all([...serving.values()].map((s) => s.stop()));
      await bus?.close();
      await client?.close();
      await google?.close();
      await threecx?.close();
      await signer?.close();
      await speech?.stop();
      // Seven installed artifacts are tens of thousands of files: removed without blocking the loop.
      await rm(work, { recursive: true, force: true });
    }, 120_000);

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
      expect(declared.sort()).toEqual([
        "contactsWorker",
        "dailySync",
        "directoryWebhook",
        "presenceBoundary",
        "presenceWorker",
        "recaptchaVerify",
        "statusPage",
        "transcriptionWorker",
        "userSyncWorker",
      ]);
      expect(serving.size).toBe(declared.length);
    });

    it.skipIf(!cloudStorage.host)(
      "transcriptionWorker: a recording lands in the bucket -> notification -> the worker -> Speech -> its transcript beside it; unreadable audio is dead-lettered with the object",
      async () => {
        const clip = librivoxClip("0920");
        const storage = new Storage({ apiEndpoint: `http://${cloudStorage.host}`, projectId: PROJECT });
        const bucket = storage.bucket(resolve(stack.bucketNotifications()[0]?.bucket ?? ""));
        const recording = "recordings/1001/[Ada Lovelace]_1001-0123456789_20240501101500(42).wav";
        await bucket.upload(clip.path, { destination: recording });
        const transcript = bucket.file(`${recording}.transcript.txt`);
        await eventually(
          async () => (await transcript.exists())[0],
          (exists) => exists,
          90_000,
        );
        const [text] = await transcript.download();
        expect(wordsFound(clip, text.toString()), text.toString()).toBeGreaterThan(0.7);

        const unreadable = "voicemails/1001/vmail_0123456789_20240501101600.wav";
        await bucket.file(unreadable).save(Buffer.from("RIFF but not really a recording ".repeat(64)));
        const dead = await eventually(
          () =>
            (deadLetters.get("gw3cx-recordings-dead-letter") ?? []).filter((m) =>
              String(m.attributes.deadLetterReason).includes(unreadable),
            ),
          (d) => d.length >= 1,
          60_000,
        );
        expect(dead).toHaveLength(1);
        expect((await bucket.file(`${unreadable}.transcript.txt`).exists())[0]).toBe(false);
      },
      150_000,
    );

    it("recaptchaVerify answers an allowed origin's preflight and refuses another origin, with the stack's settings", async () => {
      const url = byEntryPoint("recaptchaVerify").url;
      const preflight = await fetch(url, {
        method: "OPTIONS",
        headers: { Origin: "https://www.example.com" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://www.example.com");
      const refused = await fetch(url, {
        method: "POST",
        headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
        body: JSON.stringify({ token: "t", action: "chat" }),
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
      expect(await refused.json()).toMatchObject({ ok: false, reason: "ORIGIN_NOT_ALLOWED" });
    });

    it("the daily Scheduler job's message imports the users and opens the Directory channels to the webhook", async () => {
      const id = await runSchedulerJob("gw3cx-daily-sync");
      const deliveries = await answered(id);
      expect(deliveries.at(-1)?.status).toBe(204);
      expect(pbxUser("ada@example.com")).toMatchObject({ FirstName: "Ada", Enabled: true });
      const channels = google.tenant.channels.active((c) => c.kind === "directory");
      expect(channels.length).toBeGreaterThan(0);
      for (const channel of channels) expect(channel.address).toBe(byEntryPoint("directoryWebhook").url);
      // calendarPresence is on: each synced user's calendar is watched through the same webhook.
      const calendars = google.tenant.channels.active((c) => c.kind === "calendar");
      expect(calendars.length).toBe(2);
      for (const channel of calendars) expect(channel.address).toBe(byEntryPoint("directoryWebhook").url);
      // It noted its delegated tokens for `gw3cx doctor`, under its own account, in Firestore.
      const account = resolve(byEntryPoint("dailySync").fn.serviceAccountEmail);
      const state = new FirestoreStateStore(
        new Firestore({
          projectId: PROJECT,
          host: (firestore.host as string).split(":")[0],
          port: Number((firestore.host as string).split(":")[1]),
          ssl: false,
          customHeaders: { Authorization: "Bearer owner" },
        }),
      );
      try {
        const health = stateStoreDelegationHealth(state);
        const recorded = await eventually(
          () => health.get(account, SCOPES.directoryUsers[0]),
          (record) => record?.last === "success",
        );
        expect(recorded).toMatchObject({ account, last: "success" });
      } finally {
        await state.close();
      }
    });

    it("a meeting: webhook -> Pub/Sub -> presence worker sets DND; its end comes from the queue to the boundary function, which restores", async () => {
      const end = Math.ceil((Date.now() + 6_000) / 1000) * 1000;
      google.tenant.addEvent("ada@example.com", {
        summary: "Deployed stand-up",
        start: { dateTime: new Date(Date.now() - 1_000).toISOString().replace(/\.\d{3}Z$/, "Z") },
        end: { dateTime: new Date(end).toISOString().replace(/\.\d{3}Z$/, "Z") },
      });
      const during = await eventually(
        () => pbxUser("ada@example.com")?.CurrentProfileName,
        (p) => p === "Out of office",
        20_000,
      );
      expect(during).toBe("Out of office");
      const after = await eventually(
        () => pbxUser("ada@example.com")?.CurrentProfileName,
        (p) => p === "Available",
        end - Date.now() + 20_000,
      );
      expect(after).toBe("Available");
      expect(Date.now()).toBeGreaterThanOrEqual(end);
      // The end arrived as the stack's queue delivering to the boundary function's own address.
      // The 3CX write comes before the function's answer: wait for the attempt to be answered.
      const dispatches = await eventually(
        async () =>
          (
            (await (await fetch(`http://${cloudTasks.admin}/dispatches`)).json()) as {
              dispatches: Array<{ url: string; scheduledFor: number; outcome: number | string }>;
            }
          ).dispatches,
        (all) => all.some((d) => d.scheduledFor === end && typeof d.outcome === "number"),
        10_000,
      );
      const boundaryAddress = resolve(
        byEntryPoint("presenceBoundary").fn.environment.GW3CX_PRESENCE_BOUNDARY_URL ?? "",
      );
      const ended = dispatches.filter(
        (d) => new URL(d.url).origin === new URL(boundaryAddress).origin && d.scheduledFor === end,
      );
      expect(
        ended.map((d) => d.outcome),
        JSON.stringify({ end, boundaryAddress, dispatches }),
      ).toContain(204);
    }, 60_000);

    it("a boundary task whose body can never be handled is finished and dead-lettered with its reason", async () => {
      const response = await fetch(byEntryPoint("presenceBoundary").url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cloudtasks-taskname": "bad-task" },
        body: JSON.stringify({ googleUserId: "123" }),
      });
      expect(response.status).toBe(204);
      const dead = await eventually(
        () =>
          (deadLetters.get("gw3cx-calendar-changes-dead-letter") ?? []).filter(
            (m) => m.attributes.originalMessageId === "bad-task",
          ),
        (d) => d.length >= 1,
        20_000,
      );
      expect(dead).toHaveLength(1);
      expect(dead[0]?.attributes.deadLetterReason).toContain("at = (missing)");
      expect(JSON.parse(dead[0]?.data.toString() ?? "")).toEqual({ googleUserId: "123" });
    });

    it("a boundary whose task was lost is repaired by the presence reconcile Scheduler job", async () => {
      const whole = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
      const end = Math.ceil((Date.now() + 3_000) / 1000) * 1000;
      google.tenant.addEvent("ada@example.com", {
        summary: "Short call",
        start: { dateTime: whole(Date.now() - 1_000) },
        end: { dateTime: whole(end) },
      });
      await eventually(
        () => pbxUser("ada@example.com")?.CurrentProfileName,
        (p) => p === "Out of office",
        20_000,
      );
      // The end's task disappears (as a task would after its attempts ran out).
      const tasks = createCloudTasksClient({ projectId: PROJECT, emulatorHost: cloudTasks.host }, {});
      try {
        const [queue] = stack.taskQueues();
        const parent = `projects/${PROJECT}/locations/${queue?.location}/queues/${queue?.name}`;
        const pending = await eventually(
          async () => (await tasks.listTasks({ parent }))[0],
          (list) => list.length > 0,
          10_000,
        );
        for (const task of pending) await tasks.deleteTask({ name: task.name as string });
      } finally {
        await tasks.close();
      }
      await new Promise((r) => setTimeout(r, end - Date.now() + LOST_BOUNDARY_AFTER_MS + 500));
      expect(pbxUser("ada@example.com")?.CurrentProfileName).toBe("Out of office");

      const id = await runSchedulerJob("gw3cx-reconcile-presence");
      expect((await answered(id)).at(-1)?.status).toBe(204);
      expect(pbxUser("ada@example.com")?.CurrentProfileName).toBe("Available");
      expect(byEntryPoint("dailySync").output()).not.toContain("presenceReconcileUnavailable");
    }, 60_000);

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
          75_000,
        );
        expect(dead[0]?.attributes.CloudPubSubDeadLetterSourceDeliveryCount).toBe("5");
      } finally {
        threecx.faults.clear();
      }
    }, 90_000);

    describe("the status page process (IAP or ID token, Workspace admins only)", () => {
      const page = () => byEntryPoint("statusPage");
      const iapAs = (email: string) => ({
        "x-goog-iap-jwt-assertion": signer.iapAssertion({ email, aud: STATUS_IAP_AUDIENCE }),
      });
      /** The page's own origin as the browser sees it behind Cloud Run (https, the Host it asked for). */
      const selfOrigin = () => `https://${new URL(page().url).host}`;
      const approve = (runId: string, headers: Record<string, string>) =>
        fetch(`${page().url}/approve`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          body: new URLSearchParams({ runId }).toString(),
        });

      it("refuses a caller without Google credentials (401) and a Workspace user who is not an admin (403)", async () => {
        const anonymous = await fetch(page().url);
        expect(anonymous.status).toBe(401);
        expect(await anonymous.text()).toContain("Sign-in required");
        expect((await fetch(page().url, { headers: iapAs("ada@example.com") })).status).toBe(403);
        const forged = signer.iapAssertion({ email: DEMO_ADMIN, aud: STATUS_IAP_AUDIENCE }, "stranger");
        expect((await fetch(page().url, { headers: { "x-goog-iap-jwt-assertion": forged } })).status).toBe(
          401,
        );
      });

      it("shows an admin the tenant's state from Firestore: by IAP as a page, by ID token as JSON", async () => {
        const html = await fetch(page().url, { headers: iapAs(DEMO_ADMIN) });
        expect(html.status).toBe(200);
        const text = await html.text();
        expect(text).toContain("a Google Workspace tenant");
        expect(text).toContain(threecx.url);
        expect(text).toContain(`for ${DEMO_ADMIN} (IAP)`);

        const audiences = resolve(page().fn.environment.GW3CX_STATUS_ID_TOKEN_AUDIENCES ?? "").split(",");
        const idToken = signer.idToken({ email: DEMO_ADMIN, aud: audiences[0] as string });
        const json = await fetch(`${page().url}/status.json`, {
          headers: { authorization: `Bearer ${idToken}` },
        });
        expect(json.status).toBe(200);
        const status = (await json.json()) as Gw3cxStatus;
        expect(status).toMatchObject({ mode: "tenant", host: "cloud", pbxUrl: threecx.url });
        expect(status.lastRuns.map((r) => r.trigger)).toContain("daily");
        expect(status.nextNightlyRun.scheduled).toBe(true);
        // Read from the hold subscriptions on the Pub/Sub stand-in (this suite's own reader acks them).
        expect("topics" in status.deadLetters).toBe(true);
      });

      it("approving a held run: refused from another site, applied for the admin, who is recorded", async () => {
        // A nightly run held the suspension of ada (its notification was lost).
        google.addNotificationFault({ kind: "drop", times: 100 });
        const ada = google.tenant.suspendUser("ada@example.com");
        const pbxAda = pbxUser("ada@example.com") as { Id: number; Number: string };
        const state = new FirestoreStateStore(
          new Firestore({
            projectId: PROJECT,
            host: (firestore.host as string).split(":")[0],
            port: Number((firestore.host as string).split(":")[1]),
            ssl: false,
            customHeaders: { Authorization: "Bearer owner" },
          }),
        );
        const runs = new SyncRunStore(state);
        const heldRunId = "20260101T020000-daily-statuspage";
        try {
          await runs.start({
            runId: heldRunId,
            trigger: "daily",
            status: "held",
            startedAt: new Date().toISOString(),
            errors: [],
            heldDisables: [
              {
                googleId: ada.id,
                email: "ada@example.com",
                threecxId: pbxAda.Id,
                number: pbxAda.Number,
                reason: "suspended",
              },
            ],
            safeguard: { disables: 1, limit: 0 },
          });
          const crossSite = await approve(heldRunId, {
            ...iapAs(DEMO_ADMIN),
            origin: "https://evil.example",
          });
          expect(crossSite.status).toBe(403);
          expect((await approve(heldRunId, { origin: selfOrigin() })).status).toBe(401);
          expect(
            (await approve(heldRunId, { ...iapAs("ada@example.com"), origin: selfOrigin() })).status,
          ).toBe(403);
          expect((await runs.get(heldRunId))?.status).toBe("held");
          expect(pbxUser("ada@example.com")?.Enabled).toBe(true);

          const approved = await approve(heldRunId, { ...iapAs(DEMO_ADMIN), origin: selfOrigin() });
          expect(approved.status).toBe(303);
          expect(approved.headers.get("location")).toMatch(/^\.\/\?approved=/);
          expect(await runs.get(heldRunId)).toMatchObject({ status: "approved" });
          expect((await runs.get(heldRunId))?.approvedBy).toMatch(
            new RegExp(`^${DEMO_ADMIN} \\(IAP\\) on the status page \\(`),
          );
          expect(pbxUser("ada@example.com")?.Enabled).toBe(false);
        } finally {
          google.tenant.faults.clear();
          await state.close();
        }
      }, 60_000);
    });
  },
);
