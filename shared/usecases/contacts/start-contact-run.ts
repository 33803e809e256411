import { randomUUID } from "node:crypto";
import { isGw3cxError } from "../../errors.js";
import { RunHeartbeat } from "../user-sync/run-heartbeat.js";
import {
  type ContactRun,
  ContactRunStore,
  type ContactRunTrigger,
  emptyCounts,
} from "./contact-run-store.js";
import type { ContactSyncConfig, ContactSyncPorts } from "./contact-sync-ports.js";
import { readContactSyncUsers } from "./contact-sync-users.js";
import { checkPbxContactSupport } from "./pbx-contact-support.js";
import type { ContactSyncUser } from "./user-contacts-result.js";

export function newContactRunId(trigger: ContactRunTrigger, now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}-contacts-${trigger}-${randomUUID().slice(0, 8)}`;
}

/** The heartbeat of a contacts run: renewed while this process works on it, stopped by the caller. */
export function contactRunHeartbeat(ports: ContactSyncPorts, config: ContactSyncConfig): RunHeartbeat {
  return new RunHeartbeat(
    new ContactRunStore(ports.state),
    ports.clock,
    config.abandonedRunAfterMs,
    (error) => ports.logger.event("contactsHeartbeatFailed", { error }),
  );
}

export interface StartedContactRun {
  run: ContactRun;
  /** Empty when the run ended before any user (off, unsupported PBX, failed listing). */
  users: ContactSyncUser[];
}

/**
 * Opens a contacts run: recorded at once, then ended right away when contacts are off, the PBX is
 * older than 20.0.9 (asked once here, not once per user) or the users cannot be listed; otherwise
 * it holds the users to sync (only `onlyEmail` when given) and how many are expected.
 */
export async function startContactRun(
  ports: ContactSyncPorts,
  config: ContactSyncConfig,
  options: { trigger: ContactRunTrigger; dryRun?: boolean; onlyEmail?: string },
  /** Started once the run is recorded (so a hang in the PBX check or the listing still beats); the caller stops it. */
  heartbeat?: RunHeartbeat,
): Promise<StartedContactRun> {
  const runs = new ContactRunStore(ports.state);
  const now = ports.clock.now();
  const run: ContactRun = {
    runId: newContactRunId(options.trigger, now),
    trigger: options.trigger,
    status: "running",
    startedAt: now.toISOString(),
    usersExpected: 0,
    users: { done: 0, failed: 0, noLabel: 0 },
    contacts: emptyCounts(),
    failures: [],
    notes: [],
    // Recorded with its first beat, so a process that dies before the first renewal still lapses.
    ...contactRunHeartbeat(ports, config).firstBeat(),
  };
  const log = ports.logger.child({ runId: run.runId });
  if (!options.dryRun) {
    await runs.start(run);
    heartbeat?.start(run.runId);
  }
  log.event("contactsRunStarted", { trigger: options.trigger, dryRun: Boolean(options.dryRun) });
  const end = async (fields: Partial<ContactRun>): Promise<StartedContactRun> => {
    Object.assign(run, fields, { finishedAt: ports.clock.now().toISOString() });
    if (!options.dryRun) await runs.update(run.runId, { ...fields, finishedAt: run.finishedAt });
    return { run, users: [] };
  };

  if (!config.syncPersonalContacts && !options.dryRun) {
    log.event("contactsOff", {});
    return end({ status: "off" });
  }
  try {
    const support = await checkPbxContactSupport(ports.threecx);
    run.pbxVersion = support.version;
    if (!support.supported) {
      log.event("contactsPbxUnsupported", { version: support.version });
      return end({
        status: "unsupported",
        pbxVersion: support.version,
        error: { code: "PBX_TOO_OLD_FOR_CONTACTS", message: support.message },
      });
    }
    let users = await readContactSyncUsers(ports.state, ports.threecx);
    if (options.onlyEmail !== undefined) {
      const wanted = options.onlyEmail.toLowerCase();
      users = users.filter((u) => u.email.toLowerCase() === wanted);
      if (users.length === 0) {
        return end({
          status: "failed",
          error: {
            code: "CONTACTS_USER_NOT_SYNCED",
            message: `--user ${options.onlyEmail}: no enabled 3CX user gw3cx manages has this email`,
          },
        });
      }
    }
    run.usersExpected = users.length;
    if (users.length === 0) return end({ status: options.dryRun ? "planned" : "applied" });
    if (!options.dryRun)
      await runs.update(run.runId, { usersExpected: users.length, pbxVersion: support.version });
    return { run, users };
  } catch (error) {
    log.event("contactsRunFailed", { error });
    return end({
      status: "failed",
      error: {
        code: isGw3cxError(error) ? error.code : "UNEXPECTED",
        message: error instanceof Error ? error.message : String(error),
      },
    });
  }
}
