import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { cliEnv, runCli } from "./run-cli.js";

const EVENTS = {
  kind: "calendar#events",
  timeZone: "America/New_York",
  items: [
    {
      id: "m1",
      status: "confirmed",
      summary: "Quarterly numbers",
      start: { dateTime: "2026-03-24T09:00:00-04:00" },
      end: { dateTime: "2026-03-24T10:00:00-04:00" },
      attendees: [
        { email: "boss@example.com", organizer: true, responseStatus: "accepted" },
        { email: "me@example.com", self: true, responseStatus: "accepted" },
      ],
    },
    {
      id: "ooo",
      eventType: "outOfOffice",
      summary: "Vacation",
      start: { dateTime: "2026-03-24T10:00:00-04:00" },
      end: { dateTime: "2026-03-24T18:00:00-04:00" },
    },
  ],
};

describe("gw3cx explain", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gw3cx-explain-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("--events FILE works offline, with no tenant and no local stack: JSON only on stdout", async () => {
    const file = join(dir, "events.json");
    writeFileSync(file, JSON.stringify(EVENTS));
    const env = cliEnv({ GW3CX_STATE_DB: join(dir, "state.db") });
    const inMeeting = await runCli(
      ["explain", "--events", file, "--at", "2026-03-24T13:30:00Z", "--json"],
      env,
    );
    expect(inMeeting.stderr).toBe("");
    expect(inMeeting.code).toBe(0);
    expect(JSON.parse(inMeeting.stdout)).toEqual({
      at: "2026-03-24T13:30:00.000Z",
      profile: "Out of office",
      rule: "default-accepted",
      block: { start: "2026-03-24T13:00:00.000Z", end: "2026-03-24T14:00:00.000Z", kind: "dnd" },
      nextBoundary: "2026-03-24T14:00:00.000Z",
    });
    // Back to back: the meeting's DND gives way to Away at 14:00.
    const away = await runCli(["explain", "--events", file, "--at", "2026-03-24T15:00:00Z", "--json"], env);
    expect(JSON.parse(away.stdout)).toMatchObject({ profile: "Away", block: { kind: "away" } });

    const text = await runCli(["explain", "--events", file, "--at", "2026-03-24T13:30:00Z"], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("decision:      Out of office (Do Not Disturb)");
    expect(text.stdout).toContain("Quarterly numbers");
  });

  it("a bad file is refused naming the field and value, as JSON with --json", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ items: [{ id: 3 }], timeZone: "UTC" }));
    const result = await runCli(
      ["explain", "--events", file, "--at", "2026-03-24T13:30:00Z", "--json"],
      cliEnv({ GW3CX_STATE_DB: join(dir, "state.db") }),
    );
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe("PRESENCE_INVALID_EVENTS");
    expect(error.message).toContain("items.0.id");
  });

  describe("USER, live from the Workspace and 3CX simulators", () => {
    let sims: DemoSimulators;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      sims = await startDemoSimulators();
      const config = join(dir, "settings.json");
      writeFileSync(config, JSON.stringify(sims.settings));
      env = cliEnv({ ...sims.env, GW3CX_CONFIG: config, GW3CX_STATE_DB: join(dir, "live.db") });
    });
    afterAll(async () => {
      await sims?.close();
    });

    it("reads the user's calendar and 3CX's profile; a private event is shown without its title", async () => {
      const user = "alan.ritchie.2@example.com";
      // A whole second: event times travel without milliseconds.
      const base = Math.ceil(Date.now() / 1000) * 1000 + 2 * 60 * 60 * 1000;
      const iso = (ms: number) => new Date(ms).toISOString();
      sims.google.tenant.addEvent(user, {
        summary: "Salary talk",
        visibility: "private",
        start: { dateTime: iso(base) },
        end: { dateTime: iso(base + 30 * 60 * 1000) },
      });
      const at = iso(base + 10 * 60 * 1000);
      const json = await runCli(["explain", user, "--at", at, "--json"], env);
      expect(json.stderr).toBe("");
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        at,
        profile: "Out of office",
        rule: "default-organizer",
        block: { start: iso(base), end: iso(base + 30 * 60 * 1000), kind: "dnd" },
        nextBoundary: iso(base + 30 * 60 * 1000),
      });
      const text = await runCli(["explain", user, "--at", at], env);
      expect(text.stdout).toContain("private event");
      expect(text.stdout).not.toContain("Salary talk");
    });

    it("names a user the Workspace does not have", async () => {
      const result = await runCli(["explain", "nobody@example.com", "--json"], env);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).error.code).toBe("USER_NOT_FOUND");
    });
  });
});
