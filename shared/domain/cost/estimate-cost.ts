import { Gw3cxError } from "../../errors.js";
import { type CostAssumptions, describeAssumptions } from "./assumptions.js";
import { type BilledSize, billedSizes, type CostedFunction, type DeclaredSize } from "./function-size.js";
import { PRICE_LIST_DATE, PRICES, type Price, type PriceId, type PriceList } from "./price-list.js";
import { type CostFeatures, DAYS_PER_MONTH, type MonthlyUsage, modelMonthlyUsage } from "./usage-model.js";

export interface CostLine {
  service: string;
  what: string;
  quantity: number;
  unit: string;
  /** USD per `per` units, as the price list states it. */
  unitPrice: { usd: number; per: number };
  /** USD this month, free tier taken off (negative: the free tier line itself). */
  monthlyUsd: number;
  verified: boolean;
}

export interface CostEstimate {
  users: number;
  features: CostFeatures;
  priceListDate: string;
  lines: CostLine[];
  totalUsd: number;
  assumptions: string[];
  /** Every price the estimate used that was not read on Google's own page. */
  unverified: string[];
}

export interface CostRequest {
  users: number;
  features: CostFeatures;
  assumptions: CostAssumptions;
  /** Each function's declared size (infra/function-sizing.ts), passed in by the caller. */
  functionSizes: Readonly<Record<CostedFunction, DeclaredSize>>;
  /** Names shown for the functions (infra/functions.ts); the model's keys otherwise. */
  functionNames?: Partial<Record<CostedFunction, string>>;
  prices?: PriceList;
}

/** What gw3cx costs per month: one line per function and per other service, free tiers applied once. */
export function estimateMonthlyCost(request: CostRequest): CostEstimate {
  if (!Number.isInteger(request.users) || request.users < 0) {
    throw new Gw3cxError(
      "INVALID_ARGUMENT",
      `users ${JSON.stringify(request.users)} is not a whole number of users, 0 or more`,
    );
  }
  const prices = request.prices ?? PRICES;
  const sizes = billedSizes(request.functionSizes);
  const usage = modelMonthlyUsage({
    users: request.users,
    features: request.features,
    assumptions: request.assumptions,
    sizes,
  });
  const lines = [
    ...functionLines(usage, sizes, prices, request.functionNames ?? {}),
    ...serviceLines(usage, prices),
  ].filter((line) => line.quantity > 0);
  const used = new Set(lines.map((l) => l.service));
  const unverified = Object.values(prices as Record<PriceId, Price>)
    .filter((p) => used.has(p.service) && (!p.verified || (p.free !== undefined && !p.free.verified)))
    .map((p) => `${p.service}, ${p.unit}: ${p.verified ? "free tier" : "price"} not verified (${p.source})`);
  return {
    users: request.users,
    features: request.features,
    priceListDate: PRICE_LIST_DATE,
    lines,
    totalUsd: cents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
    assumptions: describeAssumptions(request.assumptions, request.users),
    unverified,
  };
}

/**
 * Each function's compute at its own size, then the free tier once for all of them together: it is
 * per billing account, not per function.
 */
function functionLines(
  usage: MonthlyUsage,
  sizes: Readonly<Record<CostedFunction, BilledSize>>,
  prices: PriceList,
  names: Partial<Record<CostedFunction, string>>,
): CostLine[] {
  const { runCpu, runMemory, runRequests } = prices;
  const lines: CostLine[] = usage.functions.map((f) => {
    const size = sizes[f.fn];
    const perSecond = size.vcpu * runCpu.usd + size.memoryGiB * runMemory.usd;
    return {
      service: runCpu.service,
      what: `${names[f.fn] ?? f.fn}: ${fmt(f.requests)} requests, ${fmt(f.starts)} starts, ${size.vcpu} vCPU, ${size.memoryGiB} GiB`,
      quantity: f.billedSeconds,
      unit: "second",
      unitPrice: { usd: perSecond, per: 1 },
      monthlyUsd: cents(f.billedSeconds * perSecond),
      verified: runCpu.verified && runMemory.verified,
    };
  });
  const requests = usage.functions.reduce((s, f) => s + f.requests, 0);
  const cpuSeconds = usage.functions.reduce((s, f) => s + f.vcpuSeconds, 0);
  const gibSeconds = usage.functions.reduce((s, f) => s + f.gibSeconds, 0);
  lines.push(priced(runRequests, "requests, all functions", requests, false));
  // Each function's line is rounded, so the credit is taken from the rounded lines it offsets.
  const gross = lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
  const credit = Math.min(
    gross,
    cents(
      freeValue(runCpu, cpuSeconds) + freeValue(runMemory, gibSeconds) + freeValue(runRequests, requests),
    ),
  );
  if (credit > 0) {
    lines.push({
      service: runCpu.service,
      what: `free tier, once per billing account for all functions: ${fmt(runCpu.free?.quantity)} vCPU-s, ${fmt(runMemory.free?.quantity)} GiB-s, ${fmt(runRequests.free?.quantity)} requests (used ${fmt(cpuSeconds)} vCPU-s, ${fmt(gibSeconds)} GiB-s)`,
      quantity: 1,
      unit: "month",
      unitPrice: { usd: -credit, per: 1 },
      monthlyUsd: -credit,
      verified: runCpu.verified,
    });
  }
  return lines;
}

function serviceLines(usage: MonthlyUsage, p: PriceList): CostLine[] {
  return [
    priced(p.pubsubThroughput, "messages published and delivered", usage.pubsubBytes / GIB),
    priced(p.firestoreReads, "document reads", usage.firestore.reads),
    priced(p.firestoreWrites, "document writes", usage.firestore.writes),
    priced(p.firestoreDeletes, "document deletes", usage.firestore.deletes),
    priced(p.tasksOperations, "presence boundary tasks (create, deliver, replace)", usage.tasksOperations),
    priced(p.schedulerJobs, "jobs", usage.schedulerJobs),
    priced(p.secretVersions, "active secret versions", usage.secretVersions),
    priced(p.secretAccesses, "secret reads at instance start", usage.secretAccesses),
    priced(p.storageStandard, "recordings kept in the archive bucket", usage.storage.gbMonths),
    priced(p.storageClassA, "uploads and transcripts", usage.storage.classA),
    priced(p.storageClassB, "audio reads", usage.storage.classB),
    priced(p.speechMinutes, "minutes transcribed", usage.speechMinutes),
    priced(p.loggingIngestion, "logs ingested", usage.logBytes / GIB),
  ];
}

const GIB = 2 ** 30;

/** A line at list price less the free tier (a daily free tier counts every day of the month). */
function priced(price: Price, what: string, quantity: number, applyFree = true): CostLine {
  const free = applyFree ? freeQuantity(price) : 0;
  const billable = Math.max(0, quantity - free);
  return {
    service: price.service,
    what: free > 0 ? `${what} (${describeFree(price)})` : what,
    quantity,
    unit: price.unit,
    unitPrice: { usd: price.usd, per: price.per },
    monthlyUsd: cents((billable / price.per) * price.usd),
    verified: price.verified,
  };
}

function describeFree(price: Price): string {
  const amount = `${fmt(price.free?.quantity)}${price.unit === "GiB" ? " GiB" : ""}`;
  return `${amount} free a ${price.free?.period}`;
}

/** Money to a millionth of a dollar, so sums of lines and credits that cancel come to exactly 0. */
function cents(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

function freeQuantity(price: Price): number {
  if (!price.free) return 0;
  return price.free.period === "day" ? price.free.quantity * DAYS_PER_MONTH : price.free.quantity;
}

function freeValue(price: Price, used: number): number {
  return (Math.min(used, freeQuantity(price)) / price.per) * price.usd;
}

function fmt(value: number | undefined): string {
  return Math.round(value ?? 0).toLocaleString("en-US");
}
