import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runExplain } from "../../../shared/cli/commands/explain.js";
import { output } from "../../../shared/cli/output.js";

const global = { state: "sqlite" as const, verbose: false };

function eventsFile(body: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "gw3cx-explain-")), "events.json");
  writeFileSync(path, JSON.stringify(body));
  return path;
}

const calendar = {
  timeZone: "Europe/Berlin",
  items: [
    {
      id: "a",
      summary: "Board meeting",
      start: { dateTime: "2026-03-24T10:00:00+01:00" },
      end: { dateTime: "2026-03-24T11:00:00+01:00" },
      organizer: { self: true },
    },
    {
      id: "b",
      summary: "Therapy",
      visibility: "private",
      start: { dateTime: "2026-03-24T11:00:00+01:00" },
      end: { dateTime: "2026-03-24T11:30:00+01:00" },
    },
    {
      id: "c",
      summary: "Declined thing",
      start: { dateTime: "2026-03-24T12:00:00+01:00" },
      end: { dateTime: "2026-03-24T13:00:00+01:00" },
      attendees: [{ self: true, responseStatus: "declined" }],
    },
  ],
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("gw3cx explain --events (offline)", () => {
  it("--json prints exactly at, profile, rule, block and nextBoundary; merged blocks have no inner boundary", async () => {
    const json = vi.spyOn(output, "json").mockImplementation(() => {});
    const code = await runExplain(global, undefined, {
      json: true,
      events: eventsFile(calendar),
      at: "2026-03-24T09:15:00Z",
    });
    expect(code).toBe(0);
    expect(json).toHaveBeenCalledTimes(1);
    const printed = json.mock.calls[0]?.[0] as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(["at", "profile", "rule", "block", "nextBoundary"]);
    expect(printed).toEqual({
      at: "2026-03-24T09:15:00.000Z",
      profile: "Out of office",
      rule: "default-organizer",
      block: { start: "2026-03-24T09:00:00.000Z", end: "2026-03-24T10:30:00.000Z", kind: "dnd" },
      nextBoundary: "2026-03-24T10:30:00.000Z",
    });
  });

  it("with --profile Custom 1 sets nothing (reserved-profile); outside any block profile and block are null", async () => {
    const json = vi.spyOn(output, "json").mockImplementation(() => {});
    await runExplain(global, undefined, {
      json: true,
      events: eventsFile(calendar),
      at: "2026-03-24T09:15:00Z",
      profile: "Custom 1",
    });
    expect(json.mock.calls[0]?.[0]).toMatchObject({ profile: null, rule: "reserved-profile" });
    await runExplain(global, undefined, {
      json: true,
      events: eventsFile(calendar),
      at: "2026-03-24T11:15:00Z",
    });
    expect(json.mock.calls[1]?.[0]).toEqual({
      at: "2026-03-24T11:15:00.000Z",
      profile: null,
      rule: null,
      block: null,
      nextBoundary: null,
    });
  });

  it("prints the decision, the block, the rule and each event; a private event shows no title", async () => {
    const out = vi.spyOn(output, "out").mockImplementation(() => {});
    await runExplain(global, undefined, {
      json: false,
      events: eventsFile(calendar),
      at: "2026-03-24T10:10:00Z",
    });
    const text = String(out.mock.calls[0]?.[0]);
    expect(text).toContain("decision:      Out of office (Do Not Disturb)");
    expect(text).toContain("block:         2026-03-24T09:00:00.000Z to 2026-03-24T10:30:00.000Z (dnd)");
    expect(text).toContain("Board meeting");
    expect(text).toContain("private event");
    expect(text).not.toContain("Therapy");
    expect(text).toContain("declined");
  });

  it("refuses an instant without a zone, and a bad file naming the field and value", async () => {
    await expect(
      runExplain(global, undefined, { json: true, events: eventsFile(calendar), at: "2026-03-24T10:10" }),
    ).rejects.toThrow(/--at "2026-03-24T10:10" is not an instant/);
    await expect(
      runExplain(global, undefined, {
        json: true,
        events: eventsFile({ items: [], timeZone: "Mars/Base" }),
        at: "2026-03-24T10:10:00Z",
      }),
    ).rejects.toThrow(/timeZone.*Mars\/Base/);
    await expect(runExplain(global, undefined, { json: true })).rejects.toThrow(/needs a USER/);
  });
});
