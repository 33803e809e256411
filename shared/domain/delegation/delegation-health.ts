/**
 * What the delegating accounts last saw of domain-wide delegation, per (account, scope): the
 * functions record it as they ask for tokens, and `gw3cx doctor` reads it, because the operator
 * usually may not sign JWTs as those accounts and so cannot ask for their tokens directly.
 */

/** The account id of a service account email: gw3cx-contacts@PROJECT.iam.gserviceaccount.com -> gw3cx-contacts. */
export function accountIdOf(email: string): string {
  return email.split("@")[0] ?? email;
}

/** Google refused a token: its OAuth error (unauthorized_client, invalid_grant, ...) and when. */
export interface DelegationRefusal {
  at: string;
  /** Google's word for it: the OAuth error of the token exchange, or the IAM reason of signJwt. */
  reason: string;
  /** Which step refused: SIGN_JWT (the account may not sign as itself) or TOKEN_EXCHANGE. */
  step: string;
  /** The Workspace user the token was for (invalid_grant is often about that user alone). */
  subject: string;
  message: string;
}

export interface DelegationHealth {
  /** The delegating service account's email. */
  account: string;
  scope: string;
  lastSuccessAt?: string;
  lastRefusal?: DelegationRefusal;
  /** Which of the two came last. */
  last: "success" | "refused";
  /** When the record was last written: the clock of the once-an-hour rewrite. */
  writtenAt: string;
}

export type DelegationOutcome =
  | { ok: true; account: string; scope: string; at: Date }
  | {
      ok: false;
      account: string;
      scope: string;
      at: Date;
      refusal: Omit<DelegationRefusal, "at">;
    };

/**
 * An unchanged outcome is written again at most this often: a success an hour old still proves the
 * entry worked recently, and a busy worker asks for tokens thousands of times an hour.
 */
export const REWRITE_UNCHANGED_AFTER_MS = 3_600_000;

/** Long enough for any message Google gives, short enough that one record stays small. */
const MAX_MESSAGE_LENGTH = 300;

/**
 * The record after `outcome`, or undefined when nothing needs writing: the outcome is the same as
 * the last written one (success, or a refusal for the same reason) and that was written less than
 * an hour before.
 */
export function healthAfter(
  previous: DelegationHealth | undefined,
  outcome: DelegationOutcome,
): DelegationHealth | undefined {
  const at = outcome.at.toISOString();
  if (previous && sameOutcome(previous, outcome)) {
    const sinceWritten = outcome.at.getTime() - Date.parse(previous.writtenAt);
    if (sinceWritten < REWRITE_UNCHANGED_AFTER_MS) return undefined;
  }
  const base: DelegationHealth = previous
    ? { ...previous }
    : { account: outcome.account, scope: outcome.scope, last: "success", writtenAt: at };
  if (outcome.ok) return { ...base, lastSuccessAt: at, last: "success", writtenAt: at };
  const refusal: DelegationRefusal = {
    at,
    ...outcome.refusal,
    message: outcome.refusal.message.slice(0, MAX_MESSAGE_LENGTH),
  };
  return { ...base, lastRefusal: refusal, last: "refused", writtenAt: at };
}

function sameOutcome(previous: DelegationHealth, outcome: DelegationOutcome): boolean {
  if (outcome.ok) return previous.last === "success";
  return (
    previous.last === "refused" &&
    previous.lastRefusal?.reason === outcome.refusal.reason &&
    previous.lastRefusal.step === outcome.refusal.step
  );
}
