/**
 * Access tokens that act as a Workspace user (domain-wide delegation). The Google adapters use it
 * for every call; the doctor asks for one token per scope to see which ones the Admin console grants.
 */
export interface DelegatedTokens {
  /** Throws a WorkspaceError (reason e.g. unauthorized_client) when Google refuses. */
  accessToken(subject: string, scopes: readonly string[]): Promise<string>;
}

/** The numeric client id domain-wide delegation is granted to, per service account. */
export interface ServiceAccountClientIds {
  /** undefined when it cannot be told (no permission to look, no such account). */
  clientIdOf(email: string): Promise<string | undefined>;
}
