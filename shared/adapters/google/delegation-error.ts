import { WorkspaceError, type WorkspaceErrorOptions, type WorkspaceFailure } from "../../ports/directory.js";

export type DelegationStep = "SOURCE_CREDENTIAL" | "SIGN_JWT" | "TOKEN_EXCHANGE";

/**
 * Keyless delegation failed. The code names the step; `reason` carries Google's word for it, e.g.
 * unauthorized_client (the scope is not granted to the client id in the Admin console), invalid_grant
 * (bad signature, unknown subject, clock skew) or PERMISSION_DENIED on signJwt (the account lacks
 * Service Account Token Creator on itself).
 */
export class DelegationError extends WorkspaceError<`DELEGATION_${DelegationStep}_FAILED`> {
  readonly step: DelegationStep;
  constructor(
    step: DelegationStep,
    failure: WorkspaceFailure,
    message: string,
    options: WorkspaceErrorOptions = {},
  ) {
    super(`DELEGATION_${step}_FAILED`, failure, message, options);
    this.step = step;
  }
}
