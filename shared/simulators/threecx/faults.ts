/**
 * Fault injection per route. A rule matches requests by operation (the spec's operationId, or
 * "Token" for /connect/token; none = every request) and adds latency and/or one fault:
 *   status500 / status503  answer with that status and an OData error body
 *   rateLimit              429 with Retry-After (seconds)
 *   timeout                never answer; the request is not applied
 *   lostResponse           apply the request, then reset the connection without an answer
 *   numberTaken            a create's Number is given to another user just before the create is
 *                          applied (as another admin or a concurrent client would), so the PBX
 *                          refuses it as already in use; requests without a Number are unaffected
 * A fault fires with probability `rate` (default 1, from a seeded generator so runs repeat)
 * and at most `times` times (default unlimited).
 */

export const FAULT_KINDS = [
  "status500",
  "status503",
  "rateLimit",
  "timeout",
  "lostResponse",
  "numberTaken",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  operation?: string | readonly string[];
  latencyMs?: number;
  fault?: FaultKind;
  rate?: number;
  times?: number;
  retryAfterSeconds?: number;
}

export interface FaultDecision {
  latencyMs: number;
  fault?: FaultKind;
  retryAfterSeconds?: number;
}

interface ActiveRule extends FaultRule {
  id: number;
  fired: number;
}

/** mulberry32: a small seeded generator, so a fault rate gives the same sequence every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private random: () => number;
  private readonly firedByKind = new Map<FaultKind, number>();

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Adds a rule; returns its id for remove(). */
  add(rule: FaultRule): number {
    if (rule.rate !== undefined && (rule.rate < 0 || rule.rate > 1))
      throw new Error("rate must be within 0..1");
    const id = this.nextId++;
    this.rules.push({ ...rule, id, fired: 0 });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((rule) => rule.id !== id);
  }

  clear(): void {
    this.rules = [];
    this.firedByKind.clear();
  }

  /** How many times faults fired, by kind. */
  fired(kind?: FaultKind): number {
    if (kind) return this.firedByKind.get(kind) ?? 0;
    let total = 0;
    for (const count of this.firedByKind.values()) total += count;
    return total;
  }

  list(): FaultRule[] {
    return this.rules.map(({ id: _id, fired: _fired, ...rule }) => rule);
  }

  decide(operation: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const rule of this.rules) {
      const ops = rule.operation === undefined ? undefined : [rule.operation].flat();
      if (ops && !ops.includes(operation)) continue;
      decision.latencyMs += rule.latencyMs ?? 0;
      if (!rule.fault || decision.fault) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.rate !== undefined && rule.rate < 1 && this.random() >= rule.rate) continue;
      rule.fired++;
      this.firedByKind.set(rule.fault, (this.firedByKind.get(rule.fault) ?? 0) + 1);
      decision.fault = rule.fault;
      if (rule.retryAfterSeconds !== undefined) decision.retryAfterSeconds = rule.retryAfterSeconds;
    }
    return decision;
  }
}
