import type { Logger } from "../../logging/logger.js";
import type { Clock } from "../../ports/clock.js";
import type { Directory } from "../../ports/directory.js";
import type { Mailer } from "../../ports/mail.js";
import type { StateStore } from "../../ports/state-store.js";
import type { ThreeCx } from "../../ports/threecx.js";

/** Everything user sync talks to; passed in, so the same use case runs in a function, the CLI or a test. */
export interface UserSyncPorts {
  directory: Directory;
  threecx: ThreeCx;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  /** Optional: without it a held run is only logged and recorded. */
  mailer?: Mailer;
}

/** The settings user sync reads (a slice of the full Settings). */
export interface UserSyncConfig {
  syncUsers: boolean;
  syncType: "all" | "allExceptSelected" | "selected" | "selectedGroups" | "selectedOrgUnits";
  selectedUsers: readonly string[];
  selectedGroups: readonly string[];
  selectedOrgUnits: readonly string[];
  startingExtension?: string;
  syncPhoto: boolean;
  /** Google sign-in (GoogleSignInEnabled) switched on for every synced user. */
  sso?: boolean;
  phoneRegion?: string;
  safeguard: { maxDisableCount: number; maxDisablePercent: number; adminEmail?: string };
  /** The mailbox held-run notices are sent as. */
  mailSender?: string;
  /** Users written at once. */
  concurrency: number;
  /** A run whose heartbeat is older than this shows as abandoned (default 2 minutes). */
  abandonedRunAfterMs?: number;
}
