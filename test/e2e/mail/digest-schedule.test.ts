/**
 * The daily digest on its schedule under `npm start` (the embedded runtime): the timer sends it at
 * mail.digestTime through the Gmail simulator (and the outbox), marks the day, re-arms for the next
 * day, and a second trigger the same day sends nothing.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outboxDirOf } from "../../../shared/adapters/local/eml-outbox.js";
import { type LocalStack, startLocal } from "../../../shared/cli/start-local.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import type { Clock } from "../../../shared/ports/clock.js";
import { scheduledDigestConfigFrom } from "../../../shared/runtime/digest-config.js";
import { sendScheduledDigest } from "../../../shared/usecases/mail/scheduled-digest.js";
import { DeadLetterLog } from "../../../shared/usecases/status/dead-letter-log.js";
import { capturedLogger } from "../../support/captured-logger.js";
import { eventually } from "../../support/stand-ins.js";

const DUE = Date.parse("2026-06-10T07:00:00.000Z");
/** How long before the digest time the clock stands when the timer first reads it. */
const LEAD_MS = 3_000;

/**
 * Real time, shifted so that the first reading (the timer arming, at the end of start-up, however
 * long that took) is LEAD_MS before the digest time; it runs on at real speed from there.
 */
function clockStartingBeforeDue(): Clock {
  let offset: number | undefined;
  const clock = {
    now: () => {
      offset ??= DUE - LEAD_MS - Date.now();
      return new Date(Date.now() + offset);
    },
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
  return clock;
}

interface SimMail {
  /** Header names in lower case. */
  headers: Record<string, string>;
}

describe("the daily digest's timer under npm start", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-digest-schedule-"));
  let stack: LocalStack | undefined;
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends the digest at mail.digestTime, once, and arms the next day's", async () => {
    const clock = clockStartingBeforeDue();
    const { logger, lines } = capturedLogger("digest-test", "info");
    stack = await startLocal({
      env: { ...process.env, GW3CX_STATE_DB: join(dir, "state.db") },
      logger,
      clock,
      base: {
        timeZone: "UTC",
        safeguard: { adminEmail: "it@example.com" },
        mail: { digest: true, digestTime: "07:00:00" },
      },
    });
    const armedAt = Date.now();
    const s = stack;
    expect(s.digestTimer.nextAt?.toISOString()).toBe(new Date(DUE).toISOString());
    const mails = async () =>
      ((await (await fetch(`${s.simulators?.googleUrl}/_sim/mail`)).json()) as SimMail[]).filter((m) =>
        (m.headers.subject ?? "").startsWith("gw3cx daily digest"),
      );

    // Something for it to report: a malformed change, dead-lettered by the worker and kept locally.
    await s.runtime.userSync.bus.publish(TOPICS.directoryChanges, { googleUserId: "", event: "update" });
    const deadLetters = new DeadLetterLog(s.runtime.userSync.state);
    const kept = await eventually(
      async () => (await deadLetters.summarize([TOPICS.directoryChanges], 5))[0]?.count ?? 0,
      (n) => n > 0,
    );
    expect(kept).toBe(1);
    expect(await mails()).toEqual([]);

    const sent = await eventually(mails, (m) => m.length > 0, LEAD_MS + 10_000);
    expect(sent).toHaveLength(1);
    // Not before its time (the clock started LEAD_MS ahead of it when the timer armed).
    expect(Date.now() - armedAt).toBeGreaterThanOrEqual(LEAD_MS - 50);
    expect(sent[0]?.headers).toMatchObject({
      to: "it@example.com",
      from: '"gw3cx" <admin@example.com>',
      subject: expect.stringMatching(/, 1 dead letters$/),
    });
    expect(readdirSync(outboxDirOf(join(dir, "demo-state.db"))).some((f) => f.endsWith(".eml"))).toBe(true);
    await eventually(
      async () => (await s.runtime.userSync.state.get("digestDays", "2026-06-10"))?.data.status,
      (status) => status === "mailed",
    );
    expect(lines.some((l) => l.event === "mailDigestSent")).toBe(true);
    expect(s.digestTimer.nextAt?.toISOString()).toBe(new Date(DUE + 86_400_000).toISOString());

    // The trigger again the same day (a duplicate, or `npm start` restarted after 07:00): nothing sent.
    const again = await sendScheduledDigest(
      { ...s.runtime.userSync, clock, deadLetters },
      scheduledDigestConfigFrom(s.settings),
    );
    expect(again).toEqual({ status: "alreadySent", day: "2026-06-10" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mails()).toHaveLength(1);
  }, 90_000);
});
