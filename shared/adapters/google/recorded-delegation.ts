import type { AccessTokenProvider } from "./delegation.js";
import { DelegationError } from "./delegation-error.js";
import type { DelegationHealthRecorder } from "./delegation-health-recorder.js";

/**
 * The token provider the functions use, noting each outcome per scope for `gw3cx doctor`: a token
 * handed out (cached or fresh) is a success, a refusal by Google is recorded with its reason.
 * Failures that say nothing about the grant (Google unreachable, rate limited) are not recorded.
 */
export class RecordedDelegation implements AccessTokenProvider {
  constructor(
    private readonly inner: AccessTokenProvider,
    /** The delegating account the inner provider signs as. */
    private readonly account: string,
    private readonly recorder: DelegationHealthRecorder,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async accessToken(subject: string, scopes: readonly string[]): Promise<string> {
    let token: string;
    try {
      token = await this.inner.accessToken(subject, scopes);
    } catch (error) {
      const refusal = refusalOf(error, subject);
      if (refusal) {
        const at = this.now();
        for (const scope of scopes)
          this.recorder.note({ ok: false, account: this.account, scope, at, refusal });
      }
      throw error;
    }
    const at = this.now();
    for (const scope of scopes) this.recorder.note({ ok: true, account: this.account, scope, at });
    return token;
  }

  invalidate(subject: string, scopes: readonly string[]): void {
    this.inner.invalidate(subject, scopes);
  }
}

/** Google said no (as opposed to not answering): the grant, the signing or the subject is wrong. */
function refusalOf(
  error: unknown,
  subject: string,
): { reason: string; step: string; subject: string; message: string } | undefined {
  if (!(error instanceof DelegationError) || error.failure !== "NOT_AUTHORIZED") return undefined;
  return { reason: error.reason ?? error.code, step: error.step, subject, message: error.message };
}
