import { iam_v1 } from "@googleapis/iam";
import { KeyMaterial } from "../../domain/storage/key-material.js";
import {
  ServiceAccountKeyError,
  type ServiceAccountKeyErrorCode,
  type ServiceAccountKeys,
} from "../../ports/service-account-keys.js";
import { clientOptions } from "../google/endpoints.js";
import type { SourceCredential } from "../google/source-credential.js";

/** The org policy that forbids service-account keys; Google names it in a PreconditionFailure. */
const DISABLE_KEY_CREATION = "constraints/iam.disableServiceAccountKeyCreation";

/**
 * Service-account keys through the IAM API (@googleapis/iam v1), authorized as whoever runs the
 * CLI (their application default credentials, or the simulator's fixed token). Not retried:
 * creating a key is not idempotent, and the operator runs the command again.
 */
export class IamServiceAccountKeys implements ServiceAccountKeys {
  private readonly iam: iam_v1.Iam;

  constructor(
    private readonly options: {
      credential: SourceCredential;
      /** The simulator's root in tests; Google's own host otherwise. */
      apiRootUrl?: string;
      timeoutMs: number;
    },
  ) {
    this.iam = new iam_v1.Iam(clientOptions(options.apiRootUrl, options.timeoutMs));
  }

  async createKey(accountEmail: string): Promise<{ keyId: string; keyFile: KeyMaterial }> {
    const { data } = await this.call("create a key of", accountEmail, (headers) =>
      this.iam.projects.serviceAccounts.keys.create(
        {
          name: `projects/-/serviceAccounts/${accountEmail}`,
          requestBody: { privateKeyType: "TYPE_GOOGLE_CREDENTIALS_FILE", keyAlgorithm: "KEY_ALG_RSA_2048" },
        },
        { headers },
      ),
    );
    const keyId = data.name?.split("/").pop();
    if (!keyId || !data.privateKeyData) {
      throw new ServiceAccountKeyError(
        "IAM_FAILED",
        `IAM created a key of ${accountEmail} without its id or file`,
      );
    }
    return { keyId, keyFile: new KeyMaterial(Buffer.from(data.privateKeyData, "base64").toString("utf8")) };
  }

  async listKeyIds(accountEmail: string): Promise<string[]> {
    const { data } = await this.call("list the keys of", accountEmail, (headers) =>
      this.iam.projects.serviceAccounts.keys.list(
        { name: `projects/-/serviceAccounts/${accountEmail}`, keyTypes: ["USER_MANAGED"] },
        { headers },
      ),
    );
    return (data.keys ?? []).map((key) => key.name?.split("/").pop() ?? "").filter((id) => id !== "");
  }

  async deleteKey(accountEmail: string, keyId: string): Promise<void> {
    await this.call(`delete key ${keyId} of`, accountEmail, (headers) =>
      this.iam.projects.serviceAccounts.keys.delete(
        { name: `projects/-/serviceAccounts/${accountEmail}/keys/${keyId}` },
        { headers },
      ),
    );
  }

  private async call<T>(
    what: string,
    accountEmail: string,
    request: (headers: Record<string, string>) => Promise<T>,
  ): Promise<T> {
    let token: string;
    try {
      token = await this.options.credential.accessToken();
    } catch (cause) {
      throw new ServiceAccountKeyError(
        "KEY_PERMISSION_DENIED",
        `no Google credentials to ${what} ${accountEmail}: run \`gcloud auth application-default login\` as someone who may manage its keys`,
        { cause },
      );
    }
    try {
      return await request({ Authorization: `Bearer ${token}` });
    } catch (cause) {
      throw toKeyError(cause, `could not ${what} ${accountEmail}`);
    }
  }
}

function toKeyError(cause: unknown, doing: string): ServiceAccountKeyError {
  const response = (cause as { response?: { status?: number; data?: unknown } }).response;
  const status = response?.status;
  const body = (response?.data as { error?: { message?: string; status?: string; details?: unknown[] } })
    ?.error;
  const violations = (body?.details ?? []).flatMap((detail) =>
    ((detail as { violations?: { type?: string }[] }).violations ?? []).map((v) => v.type),
  );
  const said = body?.message ?? (cause instanceof Error ? cause.message : String(cause));
  let code: ServiceAccountKeyErrorCode = "IAM_FAILED";
  let message = `${doing}: ${said}`;
  if (violations.includes(DISABLE_KEY_CREATION)) {
    code = "KEY_CREATION_FORBIDDEN";
    message = `${doing}: the organization policy ${DISABLE_KEY_CREATION} forbids service-account keys in this project, so 3CX cannot archive to the bucket (README: Remote storage for 3CX, "When keys are forbidden")`;
  } else if (status === 404) {
    code = "ACCOUNT_NOT_FOUND";
    message = `${doing}: ${said} (infra creates gw3cx-archiver only with storage.remoteArchiving on: deploy with it first)`;
  } else if (status === 401 || status === 403) {
    code = "KEY_PERMISSION_DENIED";
    message = `${doing}: ${said} (the operator needs roles/iam.serviceAccountKeyAdmin on the account)`;
  } else if (status === 400 && body?.status === "FAILED_PRECONDITION") {
    code = "KEY_LIMIT_REACHED";
    message = `${doing}: ${said} (an account holds at most 10 keys: delete unused ones)`;
  } else if (status === undefined || status === 429 || status >= 500) {
    code = "IAM_UNAVAILABLE";
  }
  return new ServiceAccountKeyError(code, message, { cause, details: { status } });
}
