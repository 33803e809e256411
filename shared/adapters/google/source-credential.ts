/**
 * The identity that is allowed to call IAM Credentials signJwt on the delegating service account.
 * In the cloud it is the function's own service account (application default credentials from the
 * metadata server, see adc-source-credential.ts); against the simulator it is a fixed bearer token
 * the simulator accepts for that account. Either way no service-account key exists anywhere.
 */
export interface SourceCredential {
  accessToken(): Promise<string>;
}

export function fixedSourceCredential(token: string): SourceCredential {
  return { accessToken: async () => token };
}
