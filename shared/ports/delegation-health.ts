import type { DelegationHealth } from "../domain/delegation/delegation-health.js";

/**
 * Where the delegating functions keep what they last saw of domain-wide delegation, one record per
 * (account, scope), and where `gw3cx doctor` reads it.
 */
export interface DelegationHealthStore {
  get(account: string, scope: string): Promise<DelegationHealth | undefined>;
  /** Creates or replaces the record of its (account, scope). */
  put(health: DelegationHealth): Promise<void>;
  /** Every record, of every account. */
  list(): Promise<DelegationHealth[]>;
}
