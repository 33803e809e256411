import { describe, expect, it } from "vitest";
import { type CostAssumptions, DEFAULT_ASSUMPTIONS } from "../../../../shared/domain/cost/assumptions.js";
import { type CostEstimate, estimateMonthlyCost } from "../../../../shared/domain/cost/estimate-cost.js";
import {
  COSTED_FUNCTIONS,
  type CostedFunction,
  type DeclaredSize,
  memoryGiB,
} from "../../../../shared/domain/cost/function-size.js";
import { PRICES } from "../../../../shared/domain/cost/price-list.js";
import { billedRequestSeconds, type CostFeatures } from "../../../../shared/domain/cost/usage-model.js";

const NONE: CostFeatures = {
  calendarPresence: false,
  syncPersonalContacts: false,
  transcription: false,
  remoteArchiving: false,
  digest: false,
  recaptcha: false,
};
const ALL: CostFeatures = {
  calendarPresence: true,
  syncPersonalContacts: true,
  transcription: true,
  remoteArchiving: true,
  digest: true,
  recaptcha: true,
};

function sizes(size: DeclaredSize): Record<CostedFunction, DeclaredSize> {
  return Object.fromEntries(COSTED_FUNCTIONS.map((fn) => [fn, size])) as Record<CostedFunction, DeclaredSize>;
}

function estimate(
  users: number,
  features: CostFeatures,
  assumptions: Partial<CostAssumptions> = {},
  size: DeclaredSize = { memory: "512M", cpu: "0.333" },
): CostEstimate {
  return estimateMonthlyCost({
    users,
    features,
    assumptions: { ...DEFAULT_ASSUMPTIONS, ...assumptions },
    functionSizes: sizes(size),
  });
}

const runLines = (e: CostEstimate) => e.lines.filter((l) => l.service === "Cloud Run functions");
const functionLine = (e: CostEstimate, fn: CostedFunction) =>
  e.lines.find((l) => l.what.startsWith(`${fn}:`));
const serviceTotal = (e: CostEstimate, service: string) =>
  e.lines.filter((l) => l.service === service).reduce((sum, l) => sum + l.monthlyUsd, 0);

describe("estimateMonthlyCost", () => {
  it("takes Cloud Run's free tier off once for all functions together, not once per function", () => {
    const e = estimate(10_000, ALL);
    const lines = runLines(e);
    const credits = lines.filter((l) => l.monthlyUsd < 0);
    expect(credits).toHaveLength(1);
    // Past the free tier in all three dimensions, the credit is worth the free tier exactly once.
    const onceOnly =
      180_000 * PRICES.runCpu.usd + 360_000 * PRICES.runMemory.usd + (2_000_000 / 1_000_000) * 0.4;
    expect(-(credits[0]?.monthlyUsd ?? 0)).toBeCloseTo(onceOnly, 5);
    // Several functions would each fit in the free tier alone: applied per function, they would be free.
    const belowFreeAlone = lines.filter((l) => l.unit === "second" && l.quantity * 0.333 < 180_000);
    expect(belowFreeAlone.length).toBeGreaterThan(2);
    expect(belowFreeAlone.every((l) => l.monthlyUsd > 0)).toBe(true);
    expect(serviceTotal(e, "Cloud Run functions")).toBeGreaterThan(0);
  });

  it("never takes off more than the functions cost", () => {
    const e = estimate(100, NONE);
    expect(serviceTotal(e, "Cloud Run functions")).toBeCloseTo(0, 6);
    expect(e.totalUsd).toBeGreaterThanOrEqual(0);
  });

  it("has no line for a feature switched off", () => {
    const off = estimate(1000, NONE);
    const on = estimate(1000, {
      ...NONE,
      calendarPresence: true,
      transcription: true,
      remoteArchiving: true,
    });
    for (const fn of ["presenceWorker", "presenceBoundary", "contactsWorker", "transcriptionWorker"] as const)
      expect(functionLine(off, fn)).toBeUndefined();
    for (const service of ["Cloud Tasks", "Speech-to-Text v2", "Cloud Storage"])
      expect(off.lines.some((l) => l.service === service)).toBe(false);
    expect(functionLine(on, "presenceWorker")).toBeDefined();
    expect(functionLine(on, "transcriptionWorker")).toBeDefined();
    expect(on.lines.some((l) => l.service === "Cloud Tasks")).toBe(true);
    expect(on.lines.some((l) => l.service === "Speech-to-Text v2")).toBe(true);
    expect(functionLine(on, "contactsWorker")).toBeUndefined();
    expect(functionLine(on, "recaptchaVerify")).toBeUndefined();
  });

  it("costs more for 10,000 users than for 100 in every line that grows with users", () => {
    const small = estimate(100, ALL);
    const large = estimate(10_000, ALL);
    for (const fn of ["presenceWorker", "presenceBoundary", "contactsWorker", "userSyncWorker"] as const)
      expect(functionLine(large, fn)?.quantity).toBeGreaterThan(functionLine(small, fn)?.quantity ?? 0);
    for (const service of ["Firestore", "Cloud Storage", "Speech-to-Text v2"])
      expect(serviceTotal(large, service)).toBeGreaterThan(serviceTotal(small, service));
    expect(large.totalUsd).toBeGreaterThan(small.totalUsd);
  });

  it("matches a small case worked out by hand", () => {
    // One user with 10 Directory changes a month, at 1 vCPU and 1 GiB: each change makes 3 calls
    // (60 ms) and 4 Firestore operations (10 ms) = 0.22 s, billed 0.3 s; each starts an instance
    // (the measured 0.924 s load time of the user-sync worker).
    const e = estimate(1, NONE, { directoryChangesPerUserMonth: 10 }, { memory: "1G", cpu: "1" });
    const line = functionLine(e, "userSyncWorker");
    expect(line?.quantity).toBeCloseTo(10 * 0.3 + 10 * 0.924, 9);
    expect(line?.monthlyUsd).toBeCloseTo(12.24 * (0.000024 + 0.0000025), 6);
    expect(line?.what).toContain("10 requests, 10 starts");
    // Jobs: the nightly run and the renewal tick, within the three free ones.
    const jobs = e.lines.find((l) => l.service === "Cloud Scheduler");
    expect(jobs?.quantity).toBe(2);
    expect(jobs?.monthlyUsd).toBe(0);
    // With presence and the digest: four jobs, one billed at $0.10.
    const four = estimate(1, { ...NONE, calendarPresence: true, digest: true });
    expect(four.lines.find((l) => l.service === "Cloud Scheduler")?.monthlyUsd).toBeCloseTo(0.1, 9);
  });

  it("takes a daily free tier off every day of the month", () => {
    // 10,000 users with presence: the reconcile tick alone reads 500 boundaries x 1,440 ticks a day.
    const e = estimate(10_000, { ...NONE, calendarPresence: true });
    const reads = e.lines.find((l) => l.unit === "document read");
    expect(reads?.quantity).toBeGreaterThan(500 * 1440 * 30);
    const billable = (reads?.quantity ?? 0) - 50_000 * 30;
    expect(reads?.monthlyUsd).toBeCloseTo((billable / 100_000) * 0.03, 5);
  });

  it("names every price it used that was not verified", () => {
    const e = estimate(100, ALL);
    expect(e.unverified.some((u) => u.startsWith("Speech-to-Text v2"))).toBe(true);
    expect(e.unverified.some((u) => u.startsWith("Firestore, document read"))).toBe(true);
    expect(estimate(100, NONE).unverified.some((u) => u.startsWith("Speech"))).toBe(false);
  });

  it("refuses a user count that is not a whole number, naming it", () => {
    expect(() => estimate(-1, NONE)).toThrow(/users -1 is not a whole number/);
    expect(() => estimate(2.5, NONE)).toThrow(/users 2.5/);
  });
});

describe("billed request time and sizes", () => {
  it("rounds a request up to the next 100 ms", () => {
    expect(billedRequestSeconds(0.22)).toBe(0.3);
    expect(billedRequestSeconds(0.1)).toBe(0.1);
    expect(billedRequestSeconds(0.01)).toBe(0.1);
    expect(billedRequestSeconds(1.2001)).toBe(1.3);
    // Float noise below a microsecond is not a started 100 ms.
    expect(billedRequestSeconds(0.1 + 0.2)).toBe(0.3);
  });

  it("reads memory as binary units and names a bad value", () => {
    expect(memoryGiB("256M", "statusPage")).toBe(0.25);
    expect(memoryGiB("1G", "statusPage")).toBe(1);
    expect(() => memoryGiB("512X", "statusPage")).toThrow(/statusPage.memory "512X"/);
    expect(() => estimate(1, NONE, {}, { memory: "512M", cpu: "fast" })).toThrow(
      /directoryWebhook.cpu "fast" is not a positive number/,
    );
  });
});
