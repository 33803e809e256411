/**
 * At most `limit` requests per caller in each minute (a fixed window per caller), remembered for
 * at most `maxCallers` callers: past that the oldest windows are forgotten, so a flood from many
 * addresses cannot grow memory without bound. Pure: the time is passed in.
 */
export class RequestRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxCallers = 10_000,
  ) {}

  /** Counts the request; returns how many ms until the caller may try again, or 0 if it may go ahead. */
  take(caller: string, nowMs: number): number {
    let window = this.windows.get(caller);
    if (!window || nowMs - window.start >= this.windowMs) {
      this.windows.delete(caller);
      window = { start: nowMs, count: 0 };
      this.windows.set(caller, window);
      while (this.windows.size > this.maxCallers) {
        const oldest = this.windows.keys().next().value;
        if (oldest === undefined) break;
        this.windows.delete(oldest);
      }
    }
    window.count += 1;
    return window.count > this.limit ? window.start + this.windowMs - nowMs : 0;
  }
}
