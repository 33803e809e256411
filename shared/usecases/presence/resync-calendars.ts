import pLimit from "p-limit";
import { UserLinkStore } from "../user-sync/user-link-store.js";
import { applyPresence } from "./apply-presence.js";
import type { PresenceConfig, PresencePorts } from "./presence-ports.js";

export interface CalendarResyncResult {
  users: number;
  applied: number;
  busy: number;
  failed: number;
}

/**
 * The nightly resync: every synced user's calendar window is read whole again and applied, so a
 * dropped notification is repaired within a day at worst, the window moves on (events more than
 * 14 days ahead come in), and timelines follow changed presence settings.
 */
export async function resyncCalendars(
  ports: PresencePorts,
  config: PresenceConfig,
  options: { concurrency?: number } = {},
): Promise<CalendarResyncResult> {
  const result: CalendarResyncResult = { users: 0, applied: 0, busy: 0, failed: 0 };
  if (!config.calendarPresence) return result;
  const links = (await new UserLinkStore(ports.state).all()).filter((l) => !l.disabledByGw3cx);
  result.users = links.length;
  const limit = pLimit(options.concurrency ?? 8);
  await Promise.all(
    links.map((link) =>
      limit(async () => {
        try {
          const applied = await applyPresence(ports, config, link.googleId, { fullRead: true });
          if (applied.status === "busy") result.busy++;
          else result.applied++;
        } catch (error) {
          result.failed++;
          ports.logger.event("presenceApplyFailed", { googleUserId: link.googleId, error });
        }
      }),
    ),
  );
  ports.logger.event("calendarResyncDone", { ...result });
  return result;
}
