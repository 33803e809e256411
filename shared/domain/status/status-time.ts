import type { Instant } from "../presence/instant.js";

/**
 * A moment as the status shows it: the instant (ISO, for scripts), the wall-clock time in the
 * tenant's zone, and how far from now ("in 6 h", "3 min ago"), which reads better for near times.
 */
export interface StatusTime {
  at: string;
  local: string;
  relative: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "Tue 24 Mar, 11:00 CET" in the tenant's zone. */
export function formatLocal(instant: Instant, timeZone: string): string {
  return formatterFor(timeZone).format(instant);
}

const UNITS: ReadonlyArray<readonly [ms: number, unit: string]> = [
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "min"],
  [1000, "s"],
];

/** How long a span is, in its largest unit ("6 h", "2 d", "45 s"); rounded down, so "in 6 h" never overstates. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  for (const [size, unit] of UNITS) {
    if (abs >= size) return `${Math.floor(abs / size)} ${unit}`;
  }
  return "under 1 s";
}

/** "in 6 h", "3 min ago", "now" (within a second). */
export function formatRelative(instant: Instant, now: Instant): string {
  const delta = instant - now;
  if (Math.abs(delta) < 1000) return "now";
  return delta > 0 ? `in ${formatSpan(delta)}` : `${formatSpan(delta)} ago`;
}

export function statusTime(instant: Instant, now: Instant, timeZone: string): StatusTime {
  return {
    at: new Date(instant).toISOString(),
    local: formatLocal(instant, timeZone),
    relative: formatRelative(instant, now),
  };
}
