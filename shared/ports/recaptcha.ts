import { Gw3cxError } from "../errors.js";

/** What reCAPTCHA Enterprise says of one token (CreateAssessment), in the API's own terms. */
export interface RecaptchaAssessment {
  valid: boolean;
  /** e.g. MALFORMED, EXPIRED, DUPE, MISSING, KEY_MISMATCH; null when valid. */
  invalidReason: string | null;
  /** The action the page named when it got the token. */
  action: string | null;
  hostname: string | null;
  /** 0.0 (very likely a bot) to 1.0 (very likely a person); null for an invalid token. */
  score: number | null;
  reasons: string[];
}

export interface RecaptchaAssessmentRequest {
  token: string;
  siteKey: string;
  expectedAction: string;
  userIpAddress?: string;
  userAgent?: string;
}

/** reCAPTCHA Enterprise's createAssessment: the project's own, with the function's service account. */
export interface RecaptchaAssessor {
  assess(request: RecaptchaAssessmentRequest): Promise<RecaptchaAssessment>;
}

export class RecaptchaError extends Gw3cxError<"RECAPTCHA_UNAVAILABLE" | "RECAPTCHA_REFUSED"> {}
