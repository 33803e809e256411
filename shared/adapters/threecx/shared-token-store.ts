/**
 * Where the one XAPI token lives when several processes use the same API client. 3CX keeps a single
 * active token per client, so two function instances that each fetched their own would revoke each
 * other in turn; sharing it through the state store lets every instance use the newest one.
 */
export interface SharedToken {
  token: string;
  /** When to stop using it (ms since the epoch), already less the refresh margin. */
  expiresAt: number;
}

export interface SharedTokenStore {
  load(): Promise<SharedToken | undefined>;
  save(token: SharedToken): Promise<void>;
}
