/**
 * Counts every HTTP request the client sends, by XAPI operation ("Token" for /connect/token),
 * so benchmarks and tests can assert how many calls a piece of work costs.
 */
export interface OperationCount {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Of those, how many were retries. */
  retries: number;
}

export class RequestCounter {
  private counts = new Map<string, OperationCount>();

  private entry(operation: string): OperationCount {
    let entry = this.counts.get(operation);
    if (!entry) {
      entry = { requests: 0, retries: 0 };
      this.counts.set(operation, entry);
    }
    return entry;
  }

  recordRequest(operation: string): void {
    this.entry(operation).requests++;
  }

  recordRetry(operation: string): void {
    this.entry(operation).retries++;
  }

  /** A copy, by operation. */
  snapshot(): Record<string, OperationCount> {
    return Object.fromEntries([...this.counts].map(([operation, count]) => [operation, { ...count }]));
  }

  /** Requests sent for one operation, or in total. */
  requests(operation?: string): number {
    if (operation !== undefined) return this.counts.get(operation)?.requests ?? 0;
    let total = 0;
    for (const count of this.counts.values()) total += count.requests;
    return total;
  }

  reset(): void {
    this.counts = new Map();
  }
}
