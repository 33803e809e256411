import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js";
import { Cloudfunctions2Function } from "@cdktf/provider-google/lib/cloudfunctions2-function/index.js";
import type { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import type { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object/index.js";
import { Construct } from "constructs";
import { Gw3cxError } from "../../shared/errors.js";
import { instanceShapeProblem } from "../cloud-run-limits.js";
import type { FunctionSizing } from "../function-sizing.js";

/** Node.js runtime of every function. */
export const RUNTIME = "nodejs22";

export interface SecretEnv {
  /** The environment variable the secret's latest version is exposed as. */
  env: string;
  secret: SecretManagerSecret;
}

export interface CloudFunctionProps {
  projectId: string;
  region: string;
  /** Function (and Cloud Run service) name. */
  name: string;
  description: string;
  /** The name the function registers with the Functions Framework. */
  entryPoint: string;
  source: StorageBucketObject;
  serviceAccountEmail: string;
  environment: Record<string, string>;
  secrets: SecretEnv[];
  /** Memory, CPU, timeout, concurrency and max instances (function-sizing.ts). */
  sizing: FunctionSizing;
  /** ALLOW_ALL for endpoints Google push must reach; ALLOW_INTERNAL_ONLY for Pub/Sub push targets. */
  ingress: "ALLOW_ALL" | "ALLOW_INTERNAL_ONLY";
  /**
   * Anyone may invoke it (allUsers roles/run.invoker). Only for the webhook: Google push
   * notifications carry no Google identity; the function verifies channel id and token itself.
   */
  publicInvoker?: boolean;
}

/**
 * One Cloud Functions gen2 function, HTTP-invoked. Pub/Sub reaches a worker through a push
 * subscription of ours (push-delivery.ts), which is what gives it a dead-letter topic.
 */
export class CloudFunction extends Construct {
  readonly fn: Cloudfunctions2Function;
  /** What it was deployed with: push deliveries read the timeout for their ack deadline. */
  readonly sizing: FunctionSizing;

  constructor(scope: Construct, id: string, props: CloudFunctionProps) {
    super(scope, id);
    // Refused here rather than by the API halfway through an apply.
    const problem = instanceShapeProblem(props.sizing);
    if (problem)
      throw new Gw3cxError(
        "INFRA_SIZING_INVALID",
        `${props.name}: Cloud Run would refuse this size: ${problem}`,
        {
          details: { function: props.name, sizing: props.sizing },
        },
      );
    this.sizing = props.sizing;
    this.fn = new Cloudfunctions2Function(this, "function", {
      project: props.projectId,
      location: props.region,
      name: props.name,
      description: props.description,
      labels: { app: "gw3cx" },
      buildConfig: {
        runtime: RUNTIME,
        entryPoint: props.entryPoint,
        source: {
          storageSource: {
            bucket: props.source.bucket,
            object: props.source.name,
            generation: props.source.generation,
          },
        },
      },
      serviceConfig: {
        serviceAccountEmail: props.serviceAccountEmail,
        timeoutSeconds: props.sizing.timeoutSeconds,
        minInstanceCount: 0,
        maxInstanceCount: props.sizing.maxInstances,
        maxInstanceRequestConcurrency: props.sizing.concurrency,
        availableMemory: props.sizing.memory,
        availableCpu: props.sizing.cpu,
        ingressSettings: props.ingress,
        allTrafficOnLatestRevision: true,
        environmentVariables: props.environment,
        secretEnvironmentVariables: props.secrets.map(({ env, secret }) => ({
          key: env,
          projectId: props.projectId,
          secret: secret.secretId,
          version: "latest",
        })),
      },
    });
    if (props.publicInvoker) {
      new CloudRunV2ServiceIamMember(this, "public-invoker", {
        project: props.projectId,
        location: this.fn.location,
        name: this.fn.name,
        role: "roles/run.invoker",
        member: "allUsers",
      });
    }
  }

  /** The Cloud Run (run.app) URL: Pub/Sub push and OIDC audiences use it. */
  get serviceUri(): string {
    return this.fn.serviceConfig.uri;
  }

  /** The function's HTTPS URL. */
  get url(): string {
    return this.fn.url;
  }
}
