import { createRequire } from "node:module";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import type { SecretVersionView } from "../../domain/storage/archiver-key.js";
import { KeyMaterial } from "../../domain/storage/key-material.js";
import {
  type SecretVersions,
  SecretVersionsError,
  type SecretVersionsErrorCode,
} from "../../ports/secret-versions.js";

type ClientOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>;

/** Where a local Secret Manager stand-in listens (host:port); Google ships no emulator. */
export const SECRET_MANAGER_EMULATOR_HOST_ENV = "SECRET_MANAGER_EMULATOR_HOST";

const GRPC = { NOT_FOUND: 5, PERMISSION_DENIED: 7, UNAUTHENTICATED: 16 } as const;
const TRANSIENT = new Set([4, 8, 13, 14]);

function insecureCredentials(): unknown {
  const besideClient = createRequire(createRequire(import.meta.url).resolve("@google-cloud/secret-manager"));
  const gax = besideClient("google-gax") as { grpc: { credentials: { createInsecure(): unknown } } };
  return gax.grpc.credentials.createInsecure();
}

/**
 * Secret versions through Google's client, as whoever runs the CLI (application default
 * credentials), or plain gRPC against a stand-in at SECRET_MANAGER_EMULATOR_HOST.
 */
export class SecretManagerVersions implements SecretVersions {
  private readonly client: SecretManagerServiceClient;

  constructor(
    private readonly projectId: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const emulator = env[SECRET_MANAGER_EMULATOR_HOST_ENV];
    const match = emulator ? /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(emulator) : null;
    if (emulator && !match) {
      throw new Error(
        `${SECRET_MANAGER_EMULATOR_HOST_ENV} must be host:port, got ${JSON.stringify(emulator)}`,
      );
    }
    this.client = match?.[1]
      ? new SecretManagerServiceClient({
          projectId,
          apiEndpoint: match[1].replace(/^\[|\]$/g, ""),
          port: Number(match[2]),
          sslCreds: insecureCredentials() as ClientOptions["sslCreds"],
        })
      : new SecretManagerServiceClient({ projectId });
  }

  private secretName(secretId: string): string {
    return `projects/${this.projectId}/secrets/${secretId}`;
  }

  async hasSecret(secretId: string): Promise<boolean> {
    try {
      await this.client.getSecret({ name: this.secretName(secretId) }, { timeout: 15_000 });
      return true;
    } catch (cause) {
      if ((cause as { code?: number }).code === GRPC.NOT_FOUND) return false;
      throw toSecretError(cause, `could not read the secret ${secretId}`);
    }
  }

  async addVersion(secretId: string, payload: KeyMaterial): Promise<string> {
    try {
      const [version] = await this.client.addSecretVersion(
        { parent: this.secretName(secretId), payload: { data: Buffer.from(payload.reveal(), "utf8") } },
        { timeout: 15_000 },
      );
      if (!version.name) throw new Error("AddSecretVersion returned no version name");
      return version.name;
    } catch (cause) {
      throw toSecretError(cause, `could not add a version to the secret ${secretId}`);
    }
  }

  async listVersions(secretId: string): Promise<SecretVersionView[]> {
    try {
      const [versions] = await this.client.listSecretVersions(
        { parent: this.secretName(secretId) },
        { timeout: 15_000, autoPaginate: true },
      );
      return versions.map((v) => ({ name: v.name ?? "", state: String(v.state ?? "STATE_UNSPECIFIED") }));
    } catch (cause) {
      throw toSecretError(cause, `could not list the versions of the secret ${secretId}`);
    }
  }

  async accessVersion(name: string): Promise<KeyMaterial> {
    try {
      const [response] = await this.client.accessSecretVersion({ name }, { timeout: 15_000 });
      const data = response.payload?.data;
      return new KeyMaterial(typeof data === "string" ? data : Buffer.from(data ?? []).toString("utf8"));
    } catch (cause) {
      throw toSecretError(cause, `could not read the secret version ${name}`);
    }
  }

  async disableVersion(name: string): Promise<void> {
    try {
      await this.client.disableSecretVersion({ name }, { timeout: 15_000 });
    } catch (cause) {
      throw toSecretError(cause, `could not disable the secret version ${name}`);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function toSecretError(cause: unknown, doing: string): SecretVersionsError {
  const grpcCode = (cause as { code?: number }).code;
  const said =
    (cause as { details?: string }).details ?? (cause instanceof Error ? cause.message : String(cause));
  const code: SecretVersionsErrorCode =
    grpcCode === GRPC.NOT_FOUND
      ? "SECRET_NOT_FOUND"
      : grpcCode === GRPC.PERMISSION_DENIED || grpcCode === GRPC.UNAUTHENTICATED
        ? "SECRET_PERMISSION_DENIED"
        : typeof grpcCode !== "number" || TRANSIENT.has(grpcCode)
          ? "SECRET_UNAVAILABLE"
          : "SECRET_FAILED";
  return new SecretVersionsError(code, `${doing}: ${said}`, { cause, details: { grpcCode } });
}
