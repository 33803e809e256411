import { describe, expect, it } from "vitest";
import { renderRemoval } from "../../../shared/cli/render/removal-report.js";
import { removalGuide } from "../../../shared/domain/remove/removal-guide.js";
import type { RemovalItem } from "../../../shared/domain/remove/removal-item.js";

const guide = removalGuide({
  features: { pbxMail: false, sso: false, recaptcha: false, personalContacts: false },
  contactsDeleted: false,
  managedUsers: 0,
  region: "us-central1",
});

const calendar = (n: number, status: RemovalItem["status"]): RemovalItem => ({
  area: "calendar-channel",
  target: `cal-${n}`,
  action: "stop",
  status,
  ...(status === "failed" ? { reason: "CALENDAR_UNAVAILABLE: 503" } : {}),
});

describe("renderRemoval", () => {
  it("lists ten calendar channels per status, counts the rest right after them, and every failure in full", () => {
    const items: RemovalItem[] = [
      ...Array.from({ length: 25 }, (_, i) => calendar(i, "done")),
      calendar(98, "failed"),
      calendar(99, "failed"),
      { area: "archiver-key", target: "k1 of acct", action: "delete the key at Google", status: "done" },
    ];
    const lines = renderRemoval("apply", items, guide).split("\n");
    expect(lines.filter((l) => / cal-\d+ /.test(l) && l.includes("DONE"))).toHaveLength(10);
    expect(lines.filter((l) => l.includes("FAILED")).map((l) => l.trim())).toEqual([
      "FAILED Calendar watch channel cal-98 (stop): CALENDAR_UNAVAILABLE: 503",
      "FAILED Calendar watch channel cal-99 (stop): CALENDAR_UNAVAILABLE: 503",
    ]);
    const counted = lines.findIndex((l) => l.includes("15 more calendar watch channels"));
    const key = lines.findIndex((l) => l.includes("archiver key k1"));
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThan(key);
    expect(lines).toContain(
      "26 done, 0 already gone, 0 left, 2 failed (run `gw3cx remove apply` again once the cause is fixed).",
    );
  });

  it("a plan starts with what to do before applying and says nothing was changed", () => {
    const text = renderRemoval("plan", [calendar(1, "to-do")], guide);
    expect(text.startsWith("Before `gw3cx remove apply`:")).toBe(true);
    expect(text).toContain("Nothing was changed");
  });
});
