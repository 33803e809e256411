/**
 * Google's list prices gw3cx's monthly cost is computed from: USD, Tier 1 regions (us-central1, the
 * default `gcp.region`), looked up on the date below. `verified` says whether the figure was read on
 * Google's own pricing page (or a copy of it); an unverified one is the best figure found elsewhere
 * and is labelled so wherever it is shown.
 */
export const PRICE_LIST_DATE = "2026-11-27";

export interface FreeTier {
  /** How much is free, in the price's base unit (see `per`). */
  quantity: number;
  period: "month" | "day";
  /** Who shares it: once per billing account, per project or per database, never per function. */
  scope: "billing account" | "project" | "database";
  verified: boolean;
}

export interface Price {
  service: string;
  /** The base unit counted, e.g. "vCPU-second", "document read". */
  unit: string;
  /** USD for `per` base units. */
  usd: number;
  per: number;
  free?: FreeTier;
  source: string;
  verified: boolean;
  note?: string;
}

const RUN = "https://cloud.google.com/run/pricing";
const FIRESTORE = "https://cloud.google.com/firestore/pricing";
const STORAGE = "https://cloud.google.com/storage/pricing";

export const PRICES = {
  runCpu: {
    service: "Cloud Run functions",
    unit: "vCPU-second",
    usd: 0.000024,
    per: 1,
    free: { quantity: 180_000, period: "month", scope: "billing account", verified: true },
    source: RUN,
    verified: true,
    note: "request-based billing: only while a request runs (and the instance starts), rounded up to the nearest 100 ms",
  },
  runMemory: {
    service: "Cloud Run functions",
    unit: "GiB-second",
    usd: 0.0000025,
    per: 1,
    free: { quantity: 360_000, period: "month", scope: "billing account", verified: true },
    source: RUN,
    verified: true,
  },
  runRequests: {
    service: "Cloud Run functions",
    unit: "request",
    usd: 0.4,
    per: 1_000_000,
    free: { quantity: 2_000_000, period: "month", scope: "billing account", verified: true },
    source: RUN,
    verified: true,
  },
  pubsubThroughput: {
    service: "Pub/Sub",
    unit: "GiB",
    usd: 40,
    per: 1024,
    free: { quantity: 10, period: "month", scope: "billing account", verified: true },
    source: "https://cloud.google.com/pubsub/pricing",
    verified: true,
    note: "publish and delivery both count, at least 1000 bytes per publish, push or pull request",
  },
  firestoreReads: {
    service: "Firestore",
    unit: "document read",
    usd: 0.03,
    per: 100_000,
    free: { quantity: 50_000, period: "day", scope: "database", verified: true },
    source: `${FIRESTORE} (free quota); per-location price from airbyte.com/data-engineering-resources/google-firestore-pricing`,
    verified: false,
    note: "a query that returns nothing still costs one read",
  },
  firestoreWrites: {
    service: "Firestore",
    unit: "document write",
    usd: 0.09,
    per: 100_000,
    free: { quantity: 20_000, period: "day", scope: "database", verified: true },
    source: `${FIRESTORE} (free quota); per-location price from airbyte.com/data-engineering-resources/google-firestore-pricing`,
    verified: false,
  },
  firestoreDeletes: {
    service: "Firestore",
    unit: "document delete",
    usd: 0.01,
    per: 100_000,
    free: { quantity: 20_000, period: "day", scope: "database", verified: true },
    source: `${FIRESTORE} (free quota); per-location price not found on Google's page`,
    verified: false,
  },
  schedulerJobs: {
    service: "Cloud Scheduler",
    unit: "job-month",
    usd: 0.1,
    per: 1,
    free: { quantity: 3, period: "month", scope: "billing account", verified: true },
    source: "https://cloud.google.com/scheduler/pricing",
    verified: true,
    note: "billed per job, not per run",
  },
  tasksOperations: {
    service: "Cloud Tasks",
    unit: "billable operation",
    usd: 0.4,
    per: 1_000_000,
    free: { quantity: 1_000_000, period: "month", scope: "billing account", verified: true },
    source: "https://cloud.google.com/tasks/docs/pricing",
    verified: true,
    note: "an API call or a push delivery attempt, per 32 KB",
  },
  secretVersions: {
    service: "Secret Manager",
    unit: "active secret version-month",
    usd: 0.06,
    per: 1,
    free: { quantity: 6, period: "month", scope: "billing account", verified: true },
    source: "https://cloud.google.com/secret-manager/pricing",
    verified: true,
  },
  secretAccesses: {
    service: "Secret Manager",
    unit: "access operation",
    usd: 0.03,
    per: 10_000,
    free: { quantity: 10_000, period: "month", scope: "billing account", verified: true },
    source: "https://cloud.google.com/secret-manager/pricing",
    verified: true,
  },
  storageStandard: {
    service: "Cloud Storage",
    unit: "GB-month (Standard, regional)",
    usd: 0.02,
    per: 1,
    free: { quantity: 5, period: "month", scope: "billing account", verified: false },
    source: STORAGE,
    verified: true,
    note: "the free 5 GB-months apply to us-east1, us-west1 and us-central1 only (free tier not verified)",
  },
  storageClassA: {
    service: "Cloud Storage",
    unit: "Class A operation",
    usd: 0.05,
    per: 10_000,
    free: { quantity: 5_000, period: "month", scope: "billing account", verified: false },
    source: `${STORAGE}; https://cloud.google.com/storage/pricing-examples`,
    verified: true,
  },
  storageClassB: {
    service: "Cloud Storage",
    unit: "Class B operation",
    usd: 0.004,
    per: 10_000,
    free: { quantity: 50_000, period: "month", scope: "billing account", verified: false },
    source: `${STORAGE}; https://cloud.google.com/storage/pricing-examples`,
    verified: true,
  },
  speechMinutes: {
    service: "Speech-to-Text v2",
    unit: "audio minute",
    usd: 0.016,
    per: 1,
    source: "https://cloud.google.com/speech-to-text/pricing (not reached; third-party figures $0.016-0.024)",
    verified: false,
    note: "standard models; Google's page was not found, so the lower third-party figure is used",
  },
  loggingIngestion: {
    service: "Cloud Logging",
    unit: "GiB",
    usd: 0.5,
    per: 1,
    free: { quantity: 50, period: "month", scope: "project", verified: true },
    source: "https://cloud.google.com/stackdriver/pricing",
    verified: true,
    note: "includes 30 days' storage",
  },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;
export type PriceList = Record<PriceId, Price>;
