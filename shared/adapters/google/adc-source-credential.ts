import { GoogleAuth } from "google-auth-library";
import { DelegationError } from "./delegation-error.js";
import type { SourceCredential } from "./source-credential.js";

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

/**
 * The runtime's application default credentials (the function's service account, from the metadata
 * server). google-auth-library caches and refreshes the token; this module is imported only where
 * the cloud path runs, so tests and the simulator path never load it.
 */
export function applicationDefaultSourceCredential(
  auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM] }),
): SourceCredential {
  return {
    async accessToken() {
      let token: string | null | undefined;
      try {
        token = await auth.getAccessToken();
      } catch (cause) {
        throw new DelegationError(
          "SOURCE_CREDENTIAL",
          "UNAVAILABLE",
          "application default credentials gave no token",
          {
            cause,
          },
        );
      }
      if (!token) {
        throw new DelegationError(
          "SOURCE_CREDENTIAL",
          "NOT_AUTHORIZED",
          "application default credentials gave an empty token",
        );
      }
      return token;
    },
  };
}
