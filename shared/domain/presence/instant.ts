/**
 * Instants are epoch milliseconds (UTC) throughout presence: comparable, JSON-safe and free of any
 * clock; callers pass `now` in. ISO strings appear only at the edges (explain output).
 */
export type Instant = number;

/** Half-open [start, end). */
export interface TimeRange {
  start: Instant;
  end: Instant;
}

export function toIso(instant: Instant): string {
  return new Date(instant).toISOString();
}

export function contains(range: TimeRange, at: Instant): boolean {
  return range.start <= at && at < range.end;
}
