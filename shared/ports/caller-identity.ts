import type { IncomingHttpHeaders } from "node:http";
import { Gw3cxError } from "../errors.js";

/** Someone Google vouched for: by IAP's signed header, or by a Google ID token. */
export interface VerifiedCaller {
  email: string;
  via: "iap" | "id-token";
}

/**
 * Who sent a request, proven by a Google signature. undefined: no credential was presented;
 * a credential that fails verification (signature, audience, issuer, expiry) is a CallerRejectedError.
 */
export interface CallerVerifier {
  verify(headers: IncomingHttpHeaders): Promise<VerifiedCaller | undefined>;
}

export class CallerRejectedError extends Gw3cxError<"CALLER_REJECTED"> {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super("CALLER_REJECTED", message, options);
  }
}
