import { describe, expect, it } from "vitest";
import { syncTimeToCron } from "../../../infra/schedule.js";

describe("infra: syncTimeToCron (GW_SYNC_TIME -> Cloud Scheduler unix-cron)", () => {
  it.each([
    ["02:00:00", "0 2 * * *"],
    ["02:30:00", "30 2 * * *"],
    ["00:00:00", "0 0 * * *"],
    ["23:59:00", "59 23 * * *"],
    ["09:05:00", "5 9 * * *"],
  ])("%s -> %s", (time, cron) => {
    expect(syncTimeToCron(time)).toBe(cron);
  });

  it("drops the seconds: Cloud Scheduler has minute resolution", () => {
    expect(syncTimeToCron("02:30:45")).toBe("30 2 * * *");
    expect(syncTimeToCron("23:59:59")).toBe("59 23 * * *");
  });

  it.each([
    "",
    "2:30:00",
    "02:30",
    "24:00:00",
    "12:60:00",
    "12:00:60",
    "02:30:00 ",
    "02-30-00",
    "0 2 * * *",
    "aa:bb:cc",
  ])("rejects %j, naming GW_SYNC_TIME and the expected form", (time) => {
    expect(() => syncTimeToCron(time)).toThrow(/GW_SYNC_TIME .*HH:MM:SS/);
  });
});
