import type { CostEstimate, CostLine } from "../../domain/cost/estimate-cost.js";
import type { CostFeatures } from "../../domain/cost/usage-model.js";
import { renderTable } from "./table.js";

const FEATURE_NAMES: Record<keyof CostFeatures, string> = {
  calendarPresence: "calendarPresence",
  syncPersonalContacts: "syncPersonalContacts",
  transcription: "transcription.enabled",
  remoteArchiving: "storage.remoteArchiving",
  digest: "mail.digest",
  recaptcha: "recaptcha.enabled",
};

/** `gw3cx cost` as people read it: the line items, the total, what it assumed and what is unverified. */
export function renderCostEstimate(estimate: CostEstimate): string {
  const rows = estimate.lines.map((line) => [
    line.service,
    line.what,
    quantity(line.quantity),
    line.monthlyUsd < 0 ? "-" : `${unitPrice(line)}${line.verified ? "" : " *"}`,
    usd(line.monthlyUsd),
  ]);
  rows.push(["", "total per month", "", "", usd(estimate.totalUsd)]);
  const features = (Object.keys(FEATURE_NAMES) as (keyof CostFeatures)[])
    .map((key) => `${FEATURE_NAMES[key]} ${estimate.features[key] ? "on" : "off"}`)
    .join(", ");
  return [
    `What gw3cx costs per month for ${estimate.users.toLocaleString("en-US")} users (list prices in USD of ${estimate.priceListDate}, Tier 1 region):`,
    `Features: ${features}.`,
    renderTable(["service", "what", "quantity", "unit price", "per month"], rows),
    "Assumptions (a customer's own figures change these; see `gw3cx cost --help`):",
    ...estimate.assumptions.map((a) => `  - ${a}`),
    ...(estimate.unverified.length > 0
      ? ["* Not verified on Google's pricing pages:", ...estimate.unverified.map((u) => `  - ${u}`)]
      : []),
  ].join("\n");
}

/** Dollars with cents; amounts under a cent keep two significant figures so they do not read as free. */
export function usd(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  if (abs === 0) return "$0.00";
  if (abs < 0.005) return `${sign}$${abs.toPrecision(2)}`;
  return `${sign}$${abs.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function quantity(value: number): string {
  if (value > 0 && value < 0.01) return value.toPrecision(2);
  return value < 100
    ? value.toLocaleString("en-US", { maximumFractionDigits: 2 })
    : Math.round(value).toLocaleString("en-US");
}

function unitPrice(line: CostLine): string {
  const { usd: price, per } = line.unitPrice;
  const amount = `$${Math.abs(price) < 0.01 ? String(Number(price.toPrecision(3))) : price.toFixed(2)}`;
  return per === 1 ? `${amount} / ${line.unit}` : `${amount} / ${per.toLocaleString("en-US")} ${line.unit}`;
}
