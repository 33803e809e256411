import { describe, expect, it } from "vitest";
import {
  isGw3cxStatusMessage,
  statusMessageText,
} from "../../../../shared/domain/presence/status-message.js";
import { utc } from "./events.js";

describe("statusMessageText", () => {
  it.each([
    ["meeting", "10:00", "11:05", "UTC", "In a meeting until 11:05"],
    ["busy", "10:00", "11:00", "UTC", "Busy until 11:00"],
    ["focus-time", "10:00", "11:00", "Asia/Kolkata", "Focus time until 16:30"],
    // 24-hour clock.
    ["meeting", "12:00", "21:45", "UTC", "In a meeting until 21:45"],
    ["out-of-office", "08:00", "09:00", "UTC", "Out of office until Tue 24 Mar 09:00"],
    // Starts on Monday evening in Los Angeles, ends Tuesday there.
    ["meeting", "03:00", "08:00", "America/Los_Angeles", "In a meeting until Tue 24 Mar 01:00"],
  ] as const)("%s %s-%s in %s -> %s", (label, from, until, zone, text) => {
    expect(statusMessageText(label, utc(from), utc(until), zone)).toBe(text);
  });

  it("recognises its own texts and nothing a person typed", () => {
    expect(isGw3cxStatusMessage(statusMessageText("meeting", utc("10:00"), utc("11:00"), "UTC"))).toBe(true);
    expect(isGw3cxStatusMessage(statusMessageText("out-of-office", utc("10:00"), utc("11:00"), "UTC"))).toBe(
      true,
    );
    for (const typed of [
      null,
      "",
      "Back soon",
      "In a meeting until lunch",
      "Busy until 11:00, call my mobile",
    ]) {
      expect(isGw3cxStatusMessage(typed)).toBe(false);
    }
  });
});
