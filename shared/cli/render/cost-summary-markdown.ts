import type { CostEstimate } from "../../domain/cost/estimate-cost.js";
import { usd } from "./cost-table.js";

export interface CostColumn {
  title: string;
  estimate: CostEstimate;
}

/**
 * Several estimates side by side, one row per service (its lines summed, free tiers taken off) and
 * the total: the table README's "What it costs" shows, so a test can hold the two equal.
 */
export function renderCostSummaryMarkdown(columns: readonly CostColumn[]): string {
  const services: string[] = [];
  for (const { estimate } of columns)
    for (const line of estimate.lines) if (!services.includes(line.service)) services.push(line.service);
  const perService = (estimate: CostEstimate, service: string): string => {
    const lines = estimate.lines.filter((l) => l.service === service);
    if (lines.length === 0) return "-";
    const amount = Math.round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0) * 100) / 100;
    return `${usd(amount)}${lines.some((l) => !l.verified) ? " *" : ""}`;
  };
  const rows = [
    ["service", ...columns.map((c) => c.title)],
    ...services.map((service) => [service, ...columns.map((c) => perService(c.estimate, service))]),
    ["**total per month**", ...columns.map((c) => `**${usd(Math.round(c.estimate.totalUsd * 100) / 100)}**`)],
  ];
  const [head = [], ...body] = rows;
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...body.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}
