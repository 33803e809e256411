import { createRequire } from "node:module";
import { CloudTasksClient } from "@google-cloud/tasks";

type ClientOptions = NonNullable<ConstructorParameters<typeof CloudTasksClient>[0]>;

/**
 * Where a local Cloud Tasks stand-in listens (host:port), as PUBSUB_EMULATOR_HOST is for Pub/Sub.
 * Google ships no Cloud Tasks emulator and its client reads no such variable; gw3cx does, here.
 */
export const CLOUD_TASKS_EMULATOR_HOST_ENV = "CLOUD_TASKS_EMULATOR_HOST";

/** "host:port" -> its parts; IPv6 in brackets ("[::1]:8123"). */
function splitHostPort(emulatorHost: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(emulatorHost);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(
      `${CLOUD_TASKS_EMULATOR_HOST_ENV} must be host:port, e.g. 127.0.0.1:8123, got ${JSON.stringify(emulatorHost)}`,
    );
  return { host: match[1].replace(/^\[|\]$/g, ""), port };
}

/**
 * gRPC's insecure credentials, from the copy of @grpc/grpc-js the Cloud Tasks client itself loads
 * (through google-gax): gRPC accepts only credentials made by its own copy, and a bundle has its own.
 */
function insecureCredentials(): unknown {
  const requireBesideTasks = createRequire(createRequire(import.meta.url).resolve("@google-cloud/tasks"));
  const gax = requireBesideTasks("google-gax") as { grpc: { credentials: { createInsecure(): unknown } } };
  return gax.grpc.credentials.createInsecure();
}

/**
 * The Cloud Tasks client: Google's endpoint with the ambient credentials (in a function, its own
 * service account), or, when an emulator host is given (the option, else CLOUD_TASKS_EMULATOR_HOST
 * in env), that stand-in over plain gRPC with no credentials at all.
 */
export function createCloudTasksClient(
  options: { projectId?: string; emulatorHost?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): CloudTasksClient {
  const projectId = options.projectId ? { projectId: options.projectId } : {};
  const emulatorHost = options.emulatorHost ?? env[CLOUD_TASKS_EMULATOR_HOST_ENV];
  if (!emulatorHost) return new CloudTasksClient(projectId);
  const { host, port } = splitHostPort(emulatorHost);
  return new CloudTasksClient({
    ...projectId,
    apiEndpoint: host,
    port,
    sslCreds: insecureCredentials() as ClientOptions["sslCreds"],
  });
}
