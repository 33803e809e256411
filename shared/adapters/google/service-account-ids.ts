import { iam_v1 } from "@googleapis/iam";
import type { ServiceAccountClientIds } from "../../ports/delegated-tokens.js";
import { clientOptions } from "./endpoints.js";
import { classifyGoogleError } from "./google-errors.js";
import type { SourceCredential } from "./source-credential.js";

export interface IamServiceAccountIdsOptions {
  sourceCredential: SourceCredential;
  /** undefined: IAM's own host; set: the one root the simulator serves every API from. */
  apiRootUrl?: string;
  timeoutMs: number;
}

/**
 * The numeric client id (uniqueId) of a service account, read from IAM as the source credential
 * (needs iam.serviceAccounts.get, e.g. Service Account Viewer): what domain-wide delegation is
 * granted to in the Admin console.
 */
export class IamServiceAccountIds implements ServiceAccountClientIds {
  private readonly iam: iam_v1.Iam;

  constructor(private readonly options: IamServiceAccountIdsOptions) {
    this.iam = new iam_v1.Iam(clientOptions(options.apiRootUrl, options.timeoutMs));
  }

  async clientIdOf(email: string): Promise<string | undefined> {
    const token = await this.options.sourceCredential.accessToken();
    try {
      const response = await this.iam.projects.serviceAccounts.get(
        { name: `projects/-/serviceAccounts/${email}` },
        { headers: { Authorization: `Bearer ${token}` } },
      );
      return response.data.uniqueId ?? undefined;
    } catch (error) {
      // Not allowed to look, or no such account: the caller words its fix without the id.
      if (classifyGoogleError(error).failure === "NOT_AUTHORIZED") return undefined;
      throw error;
    }
  }
}
