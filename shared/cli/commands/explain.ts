import { readFile } from "node:fs/promises";
import { loadSettings } from "../../config/load-settings.js";
import type { CalendarEventCopy } from "../../domain/presence/calendar-event-copy.js";
import { parseEventsListResponse } from "../../domain/presence/events-list-response.js";
import { explainPresence, type PresenceExplanation } from "../../domain/presence/explain-presence.js";
import { fullReadWindow } from "../../domain/presence/stored-busy-intervals.js";
import { Gw3cxError } from "../../errors.js";
import { presenceConfigFrom } from "../../runtime/presence-config.js";
import { UserLinkStore } from "../../usecases/user-sync/user-link-store.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderExplanation } from "../render/explanation.js";

export interface ExplainOptions {
  json: boolean;
  at?: string;
  events?: string;
  profile?: string;
}

/**
 * `gw3cx explain USER [--at TIME]`: what presence does for a user at an instant, read from their
 * live calendar and the profile 3CX shows. `gw3cx explain --events FILE --at TIME [--profile P]`:
 * the same offline, from a saved events.list response; no tenant needed.
 */
export async function runExplain(
  global: GlobalOptions,
  user: string | undefined,
  options: ExplainOptions,
): Promise<ExitCode> {
  const at = parseAt(options.at);
  const explanation = options.events
    ? await explainFile(global, options.events, at, options.profile ?? null)
    : await explainLive(global, requireUser(user), at);
  if (options.json) {
    // Exactly the documented shape; the per-event detail is for people.
    const { at: when, profile, rule, block, nextBoundary } = explanation;
    output.json({ at: when, profile, rule, block, nextBoundary });
  } else {
    output.out(renderExplanation(explanation));
  }
  return EXIT.ok;
}

function requireUser(user: string | undefined): string {
  if (user) return user;
  throw new Gw3cxError(
    "INVALID_ARGUMENT",
    "explain needs a USER (email or Google id) for the live calendar, or --events FILE for a saved events.list response",
  );
}

function parseAt(value: string | undefined): number {
  if (value === undefined) return Date.now();
  // An instant needs its zone: "2026-03-24T10:05:00Z" or "...+01:00"; a bare wall time is ambiguous.
  const ms = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new Gw3cxError(
      "INVALID_ARGUMENT",
      `--at ${JSON.stringify(value)} is not an instant: expected ISO 8601 with a zone, e.g. 2026-03-24T10:05:00Z`,
    );
  }
  return ms;
}

async function explainFile(
  global: GlobalOptions,
  file: string,
  at: number,
  currentProfile: string | null,
): Promise<PresenceExplanation> {
  // The presence rules from the settings if any are given; 3CX's defaults otherwise.
  const settings = loadSettings({
    env: { ...process.env, ...(global.config ? { GW3CX_CONFIG: global.config } : {}) },
  });
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new Gw3cxError("INVALID_ARGUMENT", `--events ${file}: cannot read the file`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Gw3cxError("PRESENCE_INVALID_EVENTS", `--events ${file}: not JSON`, { cause: error });
  }
  const response = parseEventsListResponse(json);
  return explainPresence(
    response.items,
    at,
    currentProfile,
    presenceConfigFrom(settings).rules,
    response.timeZone,
  );
}

async function explainLive(global: GlobalOptions, user: string, at: number): Promise<PresenceExplanation> {
  const cli = await resolveCliSettings(global);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  try {
    const { directory, calendar, threecx, state } = runtime.presence;
    const found = await directory.getUser(user);
    if (!found || found.deleted) {
      throw new Gw3cxError("USER_NOT_FOUND", `no Workspace user ${JSON.stringify(user)}`);
    }
    const window = fullReadWindow(at);
    const read = await calendar.syncEvents(found.primaryEmail, {
      fullSyncFrom: new Date(window.from),
      fullSyncUntil: new Date(window.until),
    });
    const link = await new UserLinkStore(state).get(found.id);
    const profile = link ? await threecx.getCurrentProfileName(link.threecxId) : null;
    const config = runtime.presenceConfig;
    const events: CalendarEventCopy[] = read.events;
    return explainPresence(events, at, profile, config.rules, read.timeZone ?? config.timeZone);
  } finally {
    await runtime.close();
  }
}
