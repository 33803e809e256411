import type * as GrpcJs from "@grpc/grpc-js";

export interface StoredVersion {
  name: string;
  state: "ENABLED" | "DISABLED" | "DESTROYED";
  /** Dropped when the version is destroyed, as Google does. */
  payload?: Buffer;
  createTime: Date;
  destroyTime?: Date;
}

interface StoredSecret {
  name: string;
  createTime: Date;
  versions: StoredVersion[];
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Secret Manager's cap on one payload. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
const SECRET_NAME = /^projects\/([a-z0-9-]{4,30})\/secrets\/([A-Za-z0-9_-]{1,255})$/;
const VERSION_NAME = /^(projects\/[a-z0-9-]{4,30}\/secrets\/[A-Za-z0-9_-]{1,255})\/versions\/(\d+|latest)$/;

const timestamp = (at: Date) => ({ seconds: String(Math.floor(at.getTime() / 1000)), nanos: 0 });

/**
 * Secret Manager v1 as far as a rotated key goes: GetSecret, AddSecretVersion, ListSecretVersions,
 * AccessSecretVersion (a number or "latest", which is the newest enabled version), Disable- and
 * DestroySecretVersion, with Google's errors (NOT_FOUND, FAILED_PRECONDITION for a disabled or
 * destroyed version, INVALID_ARGUMENT for a bad name or a payload over 64 KiB). Secrets are
 * created through the admin side (infra makes them). A field the stand-in does not implement
 * (filters, etags, checksums) is refused, never ignored; every other RPC is UNIMPLEMENTED.
 */
export class SecretManagerService {
  readonly secrets = new Map<string, StoredSecret>();
  /** Fails the next call of a method with this gRPC code (a test's fault). */
  readonly faults = new Map<string, number>();

  createSecret(projectId: string, secretId: string): void {
    const name = `projects/${projectId}/secrets/${secretId}`;
    if (!this.secrets.has(name)) this.secrets.set(name, { name, createTime: new Date(), versions: [] });
  }

  versionsOf(projectId: string, secretId: string): StoredVersion[] {
    return this.secrets.get(`projects/${projectId}/secrets/${secretId}`)?.versions ?? [];
  }

  private secret(name: string | undefined, grpc: typeof GrpcJs): StoredSecret {
    if (!name || !SECRET_NAME.test(name)) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid secret name ${JSON.stringify(name ?? "")}`);
    }
    const secret = this.secrets.get(name);
    if (!secret) throw new RpcError(grpc.status.NOT_FOUND, `Secret [${name}] not found or has no versions.`);
    return secret;
  }

  private version(name: string | undefined, grpc: typeof GrpcJs): StoredVersion {
    const match = VERSION_NAME.exec(name ?? "");
    if (!match)
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `invalid secret version name ${JSON.stringify(name ?? "")}`,
      );
    const secret = this.secret(match[1], grpc);
    const version =
      match[2] === "latest"
        ? secret.versions.filter((v) => v.state === "ENABLED").at(-1)
        : secret.versions.find((v) => v.name === name);
    if (!version) throw new RpcError(grpc.status.NOT_FOUND, `Secret Version [${name}] not found.`);
    return version;
  }

  private view(version: StoredVersion) {
    return {
      name: version.name,
      createTime: timestamp(version.createTime),
      state: version.state,
      ...(version.destroyTime ? { destroyTime: timestamp(version.destroyTime) } : {}),
      replicationStatus: { automatic: {} },
    };
  }

  private refuseUnimplemented(request: Record<string, unknown>, fields: string[], grpc: typeof GrpcJs): void {
    for (const field of fields) {
      const value = request[field];
      if (value !== undefined && value !== null && value !== "") {
        throw new RpcError(
          grpc.status.UNIMPLEMENTED,
          `${field} is not implemented by the Secret Manager stand-in`,
        );
      }
    }
  }

  call(method: string, request: Record<string, unknown>, grpc: typeof GrpcJs): unknown {
    const fault = this.faults.get(method);
    if (fault !== undefined) {
      this.faults.delete(method);
      throw new RpcError(fault, `${method} failed (injected)`);
    }
    switch (method) {
      case "GetSecret": {
        const secret = this.secret(request.name as string, grpc);
        return {
          name: secret.name,
          createTime: timestamp(secret.createTime),
          replication: { automatic: {} },
        };
      }
      case "AddSecretVersion": {
        const secret = this.secret(request.parent as string, grpc);
        const payload = request.payload as { data?: Buffer; dataCrc32c?: unknown } | undefined;
        this.refuseUnimplemented(payload ?? {}, ["dataCrc32c"], grpc);
        const data = payload?.data ?? Buffer.alloc(0);
        if (data.length > MAX_PAYLOAD_BYTES) {
          throw new RpcError(grpc.status.INVALID_ARGUMENT, "Secret Payload cannot be larger than 64KiB.");
        }
        const version: StoredVersion = {
          name: `${secret.name}/versions/${secret.versions.length + 1}`,
          state: "ENABLED",
          payload: Buffer.from(data),
          createTime: new Date(),
        };
        secret.versions.push(version);
        return this.view(version);
      }
      case "ListSecretVersions": {
        this.refuseUnimplemented(request, ["filter"], grpc);
        const secret = this.secret(request.parent as string, grpc);
        const newestFirst = [...secret.versions].reverse();
        const size = Number(request.pageSize ?? 0) || 25_000;
        const start = request.pageToken
          ? Number(Buffer.from(String(request.pageToken), "base64url").toString())
          : 0;
        const page = newestFirst.slice(start, start + size);
        const next =
          start + size < newestFirst.length ? Buffer.from(String(start + size)).toString("base64url") : "";
        return {
          versions: page.map((v) => this.view(v)),
          nextPageToken: next,
          totalSize: newestFirst.length,
        };
      }
      case "AccessSecretVersion": {
        const version = this.version(request.name as string, grpc);
        if (version.state !== "ENABLED") {
          throw new RpcError(
            grpc.status.FAILED_PRECONDITION,
            `Secret Version [${version.name}] is in ${version.state} state.`,
          );
        }
        return { name: version.name, payload: { data: version.payload } };
      }
      case "DisableSecretVersion": {
        this.refuseUnimplemented(request, ["etag"], grpc);
        const version = this.version(request.name as string, grpc);
        if (version.state === "DESTROYED") {
          throw new RpcError(
            grpc.status.FAILED_PRECONDITION,
            `Secret Version [${version.name}] is in DESTROYED state.`,
          );
        }
        version.state = "DISABLED";
        return this.view(version);
      }
      case "DestroySecretVersion": {
        this.refuseUnimplemented(request, ["etag"], grpc);
        const version = this.version(request.name as string, grpc);
        version.state = "DESTROYED";
        version.payload = undefined;
        version.destroyTime = new Date();
        return this.view(version);
      }
      default:
        throw new RpcError(
          grpc.status.UNIMPLEMENTED,
          `${method} is not implemented by the Secret Manager stand-in`,
        );
    }
  }

  handlers(grpc: typeof GrpcJs, service: GrpcJs.ServiceDefinition): GrpcJs.UntypedServiceImplementation {
    const handlers: GrpcJs.UntypedServiceImplementation = {};
    for (const method of Object.keys(service)) {
      handlers[method] = (
        call: GrpcJs.ServerUnaryCall<Record<string, unknown>, unknown>,
        callback: GrpcJs.sendUnaryData<unknown>,
      ) => {
        try {
          callback(null, this.call(method, call.request, grpc));
        } catch (error) {
          callback({
            code: error instanceof RpcError ? error.code : grpc.status.INTERNAL,
            details: error instanceof Error ? error.message : String(error),
            metadata: new grpc.Metadata(),
          });
        }
      };
    }
    return handlers;
  }
}
