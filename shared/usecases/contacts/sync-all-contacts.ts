import pLimit from "p-limit";
import { withContactLease } from "./contact-lease.js";
import {
  type ContactRun,
  ContactRunStore,
  type ContactRunTrigger,
  emptyCounts,
  withUser,
} from "./contact-run-store.js";
import type { ContactSyncConfig, ContactSyncPorts } from "./contact-sync-ports.js";
import { contactRunHeartbeat, startContactRun } from "./start-contact-run.js";
import { syncUserContacts } from "./sync-user-contacts.js";
import type { ContactSyncUser, UserContactsResult } from "./user-contacts-result.js";

export interface SyncAllContactsOptions {
  trigger: ContactRunTrigger;
  /** Plan only (`gw3cx contacts plan`): nothing written, no run recorded. */
  dryRun?: boolean;
  /** Only this user (`--user EMAIL`). */
  onlyEmail?: string;
}

export interface SyncAllContactsResult {
  run: ContactRun;
  /** Per user, in the order they finished. */
  results: UserContactsResult[];
}

/**
 * Every synced user's contacts in one process (the CLI and `npm start`; the cloud fans out one
 * message per user instead): `concurrency` users at a time, each user's failure kept to that user.
 */
export async function syncAllContacts(
  ports: ContactSyncPorts,
  config: ContactSyncConfig,
  options: SyncAllContactsOptions,
): Promise<SyncAllContactsResult> {
  // One process holds the whole run: while it lives the run is renewed; killed, the run lapses.
  const heartbeat = contactRunHeartbeat(ports, config);
  try {
    const started = await startContactRun(ports, config, options, heartbeat);
    let run = started.run;
    if (run.status !== "running") return { run, results: [] };
    const limit = pLimit(Math.max(1, config.concurrency));
    const results: UserContactsResult[] = [];
    await Promise.all(
      started.users.map((user) =>
        limit(async () => {
          const result = await syncOneUserOfRun(ports, config, user, run.runId, options.dryRun === true);
          results.push(result);
          // Added up here and written once, at the end.
          run = withUser(run, result, ports.clock.now());
        }),
      ),
    );
    return await finishRun(ports, options, run, results);
  } finally {
    heartbeat.stop();
  }
}

async function finishRun(
  ports: ContactSyncPorts,
  options: SyncAllContactsOptions,
  finished: ContactRun,
  results: UserContactsResult[],
): Promise<SyncAllContactsResult> {
  let run = finished;
  if (!options.dryRun) await new ContactRunStore(ports.state).update(run.runId, run);
  if (options.dryRun) run = { ...run, status: "planned" };
  ports.logger
    .child({ runId: run.runId })
    .event("contactsRunFinished", { status: run.status, users: run.users, contacts: run.contacts });
  return { run, results };
}

/** A user of a run under the user's lease; one another worker holds is reported busy, not waited for. */
export async function syncOneUserOfRun(
  ports: ContactSyncPorts,
  config: ContactSyncConfig,
  user: ContactSyncUser,
  runId: string,
  dryRun: boolean,
): Promise<UserContactsResult> {
  if (dryRun) return syncUserContacts(ports, config, user, { dryRun: true });
  let result: UserContactsResult | undefined;
  const ran = await withContactLease(ports.state, ports.clock, user.googleId, runId, async () => {
    result = await syncUserContacts(ports, config, user);
  });
  if (ran && result) return result;
  return {
    googleId: user.googleId,
    email: user.email,
    status: "failed",
    fullRead: false,
    counts: emptyCounts(),
    failure: {
      code: "CONTACTS_USER_BUSY",
      message: "another worker was syncing this user's contacts; the next run catches up",
    },
    notes: [],
    overflow: [],
    unfit: [],
    writeErrors: [],
  };
}
