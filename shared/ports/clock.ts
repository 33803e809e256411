/** Time, injected so domain rules and timers can be tested at any instant. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}
