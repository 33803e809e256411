import type { TestProject } from "vitest/node";
import { startCloudStorageStandIn } from "../standins/cloud-storage.js";
import { startCloudTasksStandIn } from "../standins/cloud-tasks.js";
import { startFirestoreStandIn } from "../standins/firestore.js";
import type { RunningStandIn } from "../standins/process.js";
import { startPubsubStandIn } from "../standins/pubsub.js";
import { startRecaptchaStandIn } from "../standins/recaptcha.js";

/** What the contract and e2e tiers get: a loopback host (and admin host), or why the stand-in is not there. */
export type StandInAvailability = { host: string; admin?: string } | { unavailable: string };

declare module "vitest" {
  export interface ProvidedContext {
    pubsubStandIn: StandInAvailability;
    firestoreStandIn: StandInAvailability;
    cloudTasksStandIn: StandInAvailability;
    recaptchaStandIn: StandInAvailability;
    cloudStorageStandIn: StandInAvailability;
  }
}

const running: RunningStandIn[] = [];

async function tryStart(start: () => Promise<RunningStandIn>): Promise<StandInAvailability> {
  try {
    const standIn = await start();
    running.push(standIn);
    return { host: standIn.host, ...(standIn.admin ? { admin: standIn.admin } : {}) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    // On CI every tier must run: a stand-in that cannot start fails the run instead of skipping.
    if (process.env.CI === "true") throw error;
    return { unavailable: reason ?? "unknown" };
  }
}

/** Starts each stand-in once per test run, on a free loopback port, and stops each by PID at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pubsubStarting = tryStart(startPubsubStandIn);
  const [pubsub, firestore, cloudTasks, recaptcha, cloudStorage] = await Promise.all([
    pubsubStarting,
    tryStart(startFirestoreStandIn),
    tryStart(startCloudTasksStandIn),
    tryStart(startRecaptchaStandIn),
    // Bucket notifications publish into the Pub/Sub stand-in, so this one starts once that one is up.
    pubsubStarting.then((started) =>
      tryStart(() => startCloudStorageStandIn("host" in started ? started.host : undefined)),
    ),
  ]);
  project.provide("pubsubStandIn", pubsub);
  project.provide("firestoreStandIn", firestore);
  project.provide("cloudTasksStandIn", cloudTasks);
  project.provide("recaptchaStandIn", recaptcha);
  project.provide("cloudStorageStandIn", cloudStorage);
  return async () => {
    await Promise.all(running.map((standIn) => standIn.stop()));
  };
}
