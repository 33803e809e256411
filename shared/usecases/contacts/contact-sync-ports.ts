import type { Logger } from "../../logging/logger.js";
import type { Clock } from "../../ports/clock.js";
import type { People } from "../../ports/people.js";
import type { StateStore } from "../../ports/state-store.js";
import type { ThreeCx } from "../../ports/threecx.js";

/** Everything personal-contact sync talks to; passed in, so the same use case runs in a function, the CLI or a test. */
export interface ContactSyncPorts {
  people: People;
  threecx: ThreeCx;
  state: StateStore;
  clock: Clock;
  logger: Logger;
}

/** The settings contact sync reads (a slice of the full Settings). */
export interface ContactSyncConfig {
  syncPersonalContacts: boolean;
  /** The Google label (contact group) whose contacts go to 3CX, by name; its id is kept per user (readUnderLabel). */
  contactLabel: string;
  phoneRegion?: string;
  /** Users synced at once. */
  concurrency: number;
  /** A run whose heartbeat is older than this shows as abandoned (default 2 minutes). */
  abandonedRunAfterMs?: number;
}
