import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import type { Clock } from "../../../shared/ports/clock.js";
import type { DeadLetterSource } from "../../../shared/ports/dead-letters.js";
import type { Mailer, OutgoingMail } from "../../../shared/ports/mail.js";
import {
  type ScheduledDigestConfig,
  sendScheduledDigest,
} from "../../../shared/usecases/mail/scheduled-digest.js";
import { capturedLogger } from "../../support/captured-logger.js";

const CONFIG: ScheduledDigestConfig = {
  enabled: true,
  digestTime: "07:00:00",
  timeZone: "Europe/Berlin",
  from: "gw3cx@example.com",
  to: "it@example.com",
};

let state: SqliteStateStore;
let now: Date;
let sent: OutgoingMail[];
let failNext: boolean;
let lines: Record<string, unknown>[];
let ports: Parameters<typeof sendScheduledDigest>[0];

/** One dead letter a minute before "now", so each day's digest has something to say. */
const deadLetters: DeadLetterSource = {
  summarize: async () => [
    {
      topic: "gw3cx-directory-changes",
      count: 1,
      atLeast: false,
      newest: [{ messageId: "m1", reason: "not JSON", at: new Date(now.getTime() - 60_000).toISOString() }],
    },
  ],
};

beforeEach(() => {
  state = new SqliteStateStore(":memory:");
  now = new Date("2026-06-10T05:00:00.000Z"); // 07:00 in Berlin (summer time)
  sent = [];
  failNext = false;
  const mailer: Mailer = {
    send: async (mail) => {
      // Let a concurrent trigger run up to its own claim before this one finishes.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (failNext) {
        failNext = false;
        throw new Error("Gmail said 503");
      }
      sent.push(mail);
      return { id: `sent-${sent.length}` };
    },
  };
  const clock: Clock = { now: () => new Date(now), sleep: async () => undefined };
  const captured = capturedLogger("test");
  lines = captured.lines;
  ports = { state, deadLetters, clock, logger: captured.logger, mailer };
});

afterEach(async () => {
  await state.close();
});

describe("the scheduled digest: at most once a day", () => {
  it("a second trigger the same day (a retry minutes later) sends nothing; the next day's trigger sends again", async () => {
    expect(await sendScheduledDigest(ports, CONFIG)).toMatchObject({ status: "done", day: "2026-06-10" });
    now = new Date("2026-06-10T05:04:00.000Z");
    expect(await sendScheduledDigest(ports, CONFIG)).toEqual({ status: "alreadySent", day: "2026-06-10" });
    expect(sent).toHaveLength(1);
    expect(lines.map((l) => l.event)).toContain("mailDigestAlreadySent");

    now = new Date("2026-06-11T05:00:10.000Z");
    expect(await sendScheduledDigest(ports, CONFIG)).toMatchObject({ status: "done", day: "2026-06-11" });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ from: CONFIG.from, to: [CONFIG.to] });
  });

  it("two triggers at once (a duplicate delivery to two instances): exactly one mail", async () => {
    const results = await Promise.all([
      sendScheduledDigest(ports, CONFIG),
      sendScheduledDigest(ports, CONFIG),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["alreadySent", "done"]);
    expect(sent).toHaveLength(1);
  });

  it("the day is marked with what happened: mailed, or nothing to mail", async () => {
    await sendScheduledDigest(ports, CONFIG);
    expect((await state.get("digestDays", "2026-06-10"))?.data).toMatchObject({
      day: "2026-06-10",
      status: "mailed",
      claimedAt: "2026-06-10T05:00:00.000Z",
    });
    now = new Date("2026-06-11T05:00:00.000Z");
    const quiet = await sendScheduledDigest({ ...ports, mailer: undefined }, CONFIG);
    expect(quiet).toMatchObject({ status: "done", digest: { mailed: false } });
    expect((await state.get("digestDays", "2026-06-11"))?.data).toMatchObject({ status: "nothingMailed" });
  });

  it("a digest that fails to go out gives the day back, so the trigger's retry sends it", async () => {
    failNext = true;
    await expect(sendScheduledDigest(ports, CONFIG)).rejects.toThrow("Gmail said 503");
    expect(await state.get("digestDays", "2026-06-10")).toBeUndefined();
    expect(await sendScheduledDigest(ports, CONFIG)).toMatchObject({ status: "done", day: "2026-06-10" });
    expect(sent).toHaveLength(1);
  });

  it("off: nothing read, nothing sent, nothing marked", async () => {
    expect(await sendScheduledDigest(ports, { ...CONFIG, enabled: false })).toEqual({ status: "off" });
    expect(sent).toHaveLength(0);
    expect(await state.query("digestDays")).toEqual([]);
    expect(lines.map((l) => l.event)).toEqual(["mailDigestOff"]);
  });

  it("before the day's time a trigger is the day before's digest (already sent: nothing)", async () => {
    await sendScheduledDigest(ports, CONFIG);
    now = new Date("2026-06-11T04:59:00.000Z"); // 06:59 in Berlin
    expect(await sendScheduledDigest(ports, CONFIG)).toEqual({ status: "alreadySent", day: "2026-06-10" });
    expect(sent).toHaveLength(1);
  });
});
