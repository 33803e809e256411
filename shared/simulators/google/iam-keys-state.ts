import { generateKeyPairSync, randomBytes } from "node:crypto";
import { apiError, GoogleWireError } from "./wire.js";

/** A Cloud IAM service account of a project, with its keys (what iam.googleapis.com v1 serves). */
export interface SimCloudAccount {
  projectId: string;
  email: string;
  uniqueId: string;
  keys: Map<string, SimAccountKey>;
}

export interface SimAccountKey {
  id: string;
  keyType: "USER_MANAGED" | "SYSTEM_MANAGED";
  validAfterTime: string;
  validBeforeTime: string;
  /** The key file as handed out at creation (user-managed keys only); tests compare with it. */
  keyFile?: string;
}

/** Google's cap on user-managed keys per service account. */
export const MAX_USER_MANAGED_KEYS = 10;
export const DISABLE_KEY_CREATION = "constraints/iam.disableServiceAccountKeyCreation";

/**
 * Service accounts and their keys, as the IAM API keeps them. Keys are real RSA keys in a real
 * credentials file, so what 3CX is given parses as one. The organization policy that forbids key
 * creation is a switch a test turns on; Google then answers FAILED_PRECONDITION naming it.
 */
export class IamKeysState {
  readonly accounts = new Map<string, SimCloudAccount>();
  /** Bearer tokens of principals allowed to manage keys (the operator running the CLI). */
  readonly operatorTokens = new Set<string>();
  /** Projects where constraints/iam.disableServiceAccountKeyCreation is enforced. */
  readonly keyCreationDisabled = new Set<string>();
  private nextUniqueId = 1;

  constructor(private readonly now: () => number) {}

  addServiceAccount(projectId: string, accountId: string): SimCloudAccount {
    const email = `${accountId}@${projectId}.iam.gserviceaccount.com`;
    const account: SimCloudAccount = {
      projectId,
      email,
      uniqueId: `1099${String(this.nextUniqueId++).padStart(17, "0")}`,
      keys: new Map(),
    };
    // Every account has a Google-managed key; only listing with keyTypes=USER_MANAGED leaves it out.
    const system = this.newKeyId();
    account.keys.set(system, { id: system, keyType: "SYSTEM_MANAGED", ...this.validity() });
    this.accounts.set(email, account);
    return account;
  }

  userKeys(email: string): SimAccountKey[] {
    return [...(this.accounts.get(email)?.keys.values() ?? [])].filter((k) => k.keyType === "USER_MANAGED");
  }

  /** projects/{project}/serviceAccounts/{email or unique id}; project "-" means any. */
  resolve(project: string, account: string): SimCloudAccount {
    const found = [...this.accounts.values()].find(
      (a) => (a.email === account || a.uniqueId === account) && (project === "-" || project === a.projectId),
    );
    if (!found) {
      throw apiError(
        404,
        "notFound",
        `Service account projects/${project}/serviceAccounts/${account} does not exist.`,
      );
    }
    return found;
  }

  createKey(account: SimCloudAccount): { key: SimAccountKey; privateKeyData: string } {
    if (this.keyCreationDisabled.has(account.projectId)) {
      throw new GoogleWireError(400, {
        error: {
          code: 400,
          message: "Precondition check failed.",
          status: "FAILED_PRECONDITION",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.PreconditionFailure",
              violations: [
                {
                  type: DISABLE_KEY_CREATION,
                  subject: `orgpolicy:projects/${account.projectId}`,
                  description: "Key creation is not allowed on this service account.",
                },
              ],
            },
          ],
        },
      });
    }
    if (this.userKeys(account.email).length >= MAX_USER_MANAGED_KEYS) {
      throw apiError(400, "failedPrecondition", "Precondition check failed.", {
        status: "FAILED_PRECONDITION",
      });
    }
    const id = this.newKeyId();
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    }) as string;
    const keyFile = `${JSON.stringify(
      {
        type: "service_account",
        project_id: account.projectId,
        private_key_id: id,
        private_key: privateKey,
        client_email: account.email,
        client_id: account.uniqueId,
        auth_uri: "https://accounts.google.com/o/oauth2/auth",
        token_uri: "https://oauth2.googleapis.com/token",
        auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(account.email)}`,
        universe_domain: "googleapis.com",
      },
      null,
      2,
    )}\n`;
    const key: SimAccountKey = { id, keyType: "USER_MANAGED", ...this.validity(), keyFile };
    account.keys.set(id, key);
    return { key, privateKeyData: Buffer.from(keyFile).toString("base64") };
  }

  deleteKey(account: SimCloudAccount, keyId: string): void {
    const key = account.keys.get(keyId);
    if (!key) {
      throw apiError(
        404,
        "notFound",
        `Service account key projects/${account.projectId}/serviceAccounts/${account.email}/keys/${keyId} does not exist.`,
      );
    }
    if (key.keyType === "SYSTEM_MANAGED") {
      throw apiError(400, "badRequest", "System managed keys cannot be deleted.");
    }
    account.keys.delete(keyId);
  }

  private newKeyId(): string {
    return randomBytes(20).toString("hex");
  }

  private validity() {
    const now = this.now();
    return {
      validAfterTime: new Date(now).toISOString(),
      validBeforeTime: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)).toISOString(),
    };
  }
}
