/**
 * Whether a reCAPTCHA token lets a form through: valid, for the action the form expects, and
 * scored at or above the threshold. Pure; the answer names the first rule that failed.
 */
export type RecaptchaVerdictReason =
  | "PASSED"
  | "TOKEN_MISSING"
  | "TOKEN_MALFORMED"
  | "TOKEN_EXPIRED"
  | "TOKEN_REUSED"
  | "TOKEN_INVALID"
  | "WRONG_ACTION"
  | "LOW_SCORE";

export const RECAPTCHA_VERDICT_TEXT: Readonly<Record<RecaptchaVerdictReason, string>> = {
  PASSED: "the token is valid for this action and its score reaches the threshold",
  TOKEN_MISSING: "no token was given",
  TOKEN_MALFORMED: "the token is not one reCAPTCHA issued",
  TOKEN_EXPIRED: "the token is older than two minutes; get a new one just before submitting",
  TOKEN_REUSED: "the token was already checked once; each token is good for one check",
  TOKEN_INVALID: "reCAPTCHA did not accept the token",
  WRONG_ACTION: "the token was issued for another action",
  LOW_SCORE: "the score is below the threshold: likely automated",
};

export interface AssessmentFacts {
  valid: boolean;
  invalidReason: string | null;
  action: string | null;
  score: number | null;
}

export interface RecaptchaVerdict {
  ok: boolean;
  reason: RecaptchaVerdictReason;
  message: string;
  score: number | null;
  action: string | null;
}

const INVALID_REASONS: Readonly<Record<string, RecaptchaVerdictReason>> = {
  MISSING: "TOKEN_MISSING",
  MALFORMED: "TOKEN_MALFORMED",
  EXPIRED: "TOKEN_EXPIRED",
  DUPE: "TOKEN_REUSED",
  UNEXPECTED_ACTION: "WRONG_ACTION",
};

export function judgeAssessment(
  assessment: AssessmentFacts,
  expected: { action: string; threshold: number },
): RecaptchaVerdict {
  const verdict = (reason: RecaptchaVerdictReason): RecaptchaVerdict => ({
    ok: reason === "PASSED",
    reason,
    message: RECAPTCHA_VERDICT_TEXT[reason],
    score: assessment.score,
    action: assessment.action,
  });
  if (!assessment.valid) return verdict(INVALID_REASONS[assessment.invalidReason ?? ""] ?? "TOKEN_INVALID");
  if (assessment.action !== expected.action) return verdict("WRONG_ACTION");
  if ((assessment.score ?? 0) < expected.threshold) return verdict("LOW_SCORE");
  return verdict("PASSED");
}
