import pLimit from "p-limit";
import { TOPICS } from "../../messaging/topics.js";
import type { Bus } from "../../ports/bus.js";
import type { ContactRun } from "./contact-run-store.js";
import type { ContactSyncConfig, ContactSyncPorts } from "./contact-sync-ports.js";
import { contactRunHeartbeat, startContactRun } from "./start-contact-run.js";

/** Publishes at once; Pub/Sub takes thousands a second, this only keeps memory flat. */
const PUBLISH_CONCURRENCY = 50;

/**
 * The nightly contacts run in the cloud: opens the run (the PBX version is checked here, once) and
 * publishes one `{runId, googleUserId}` per user to gw3cx-contacts-requests, so each user is one
 * contacts-worker invocation: thousands finish well inside a function's time limit, and a failing
 * user never holds up the others. The workers add their results to the run record and renew its
 * heartbeat while they work: a run whose messages all went to the dead-letter topic, or whose
 * workers died, lapses and shows as abandoned.
 */
export async function fanOutContactRequests(
  ports: ContactSyncPorts & { bus: Bus },
  config: ContactSyncConfig,
): Promise<ContactRun> {
  // Beats while it opens the run and publishes; from then on the workers keep the run alive.
  const heartbeat = contactRunHeartbeat(ports, config);
  try {
    const { run, users } = await startContactRun(ports, config, { trigger: "daily" }, heartbeat);
    if (run.status !== "running") return run;
    const limit = pLimit(PUBLISH_CONCURRENCY);
    await Promise.all(
      users.map((user) =>
        limit(() =>
          ports.bus.publish(TOPICS.contactsRequests, { runId: run.runId, googleUserId: user.googleId }),
        ),
      ),
    );
    ports.logger.child({ runId: run.runId }).event("contactsRequestsPublished", { users: users.length });
    return run;
  } finally {
    heartbeat.stop();
  }
}
