import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js";
import { CloudTasksQueue } from "@cdktf/provider-google/lib/cloud-tasks-queue/index.js";
import { CloudTasksQueueIamMember } from "@cdktf/provider-google/lib/cloud-tasks-queue-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { Construct } from "constructs";
import { PRESENCE_BOUNDARY_QUEUE } from "../../shared/messaging/topics.js";
import type { CloudFunction } from "./cloud-function.js";
import type { FunctionServiceAccount } from "./function-service-account.js";

export { PRESENCE_BOUNDARY_QUEUE };

/**
 * How fast boundaries reach the boundary function, chosen for the PBX rather than for Cloud Tasks:
 * each boundary costs a few XAPI calls (read the user, write the profile and its message), and
 * meetings end together on the hour, so 10,000 users can have hundreds of boundaries in one second.
 * 10 at once (about what one user-sync worker instance puts on the PBX, threecx.maxInFlight 8) and
 * 20 a second: a hundred coinciding boundaries, each handled in under half a second, are applied
 * within about 5 s (if Cloud Tasks' burst is a second's worth); a larger burst drains at that pace
 * rather than flooding the PBX. The boundary function must serve maxConcurrentDispatches requests
 * at once (maxInstances x concurrency, function-sizing.ts), or Cloud Run answers 429 and the tasks
 * back off.
 */
export const BOUNDARY_RATE_LIMITS = { maxDispatchesPerSecond: 20, maxConcurrentDispatches: 10 } as const;

/**
 * Retries of a failed boundary (3CX or Firestore briefly down): quickly at first, since a boundary
 * is about punctuality, then none once the reconcile tick (every minute) has repaired it anyway:
 * 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s apart, 8 attempts in about 90 s. No maxRetryDuration: Cloud
 * Tasks stops only when both limits are reached, so one would prolong the retries, not cap them.
 */
export const BOUNDARY_RETRY = {
  maxAttempts: 8,
  minBackoff: "1s",
  maxBackoff: "30s",
  maxDoublings: 4,
} as const;

export interface PresenceBoundaryQueueProps {
  projectId: string;
  region: string;
  /** The identity Cloud Tasks calls the boundary function as (6-30 characters). */
  invokerAccountId: string;
}

/**
 * The Cloud Tasks queue of presence boundaries: one HTTP task per user and boundary instant,
 * POSTed to the boundary function at that instant with an OIDC token of a dedicated invoker
 * account. Whoever schedules needs to create and delete tasks on this queue only, and to act as
 * that invoker account (Cloud Tasks checks iam.serviceAccounts.actAs on the OIDC account at
 * CreateTask). Cloud Tasks' own service agent mints the tokens with its default role.
 */
export class PresenceBoundaryQueue extends Construct {
  readonly queue: CloudTasksQueue;
  readonly invoker: ServiceAccount;
  private readonly projectId: string;

  constructor(scope: Construct, id: string, props: PresenceBoundaryQueueProps) {
    super(scope, id);
    this.projectId = props.projectId;
    this.queue = new CloudTasksQueue(this, "queue", {
      project: props.projectId,
      location: props.region,
      name: PRESENCE_BOUNDARY_QUEUE,
      rateLimits: { ...BOUNDARY_RATE_LIMITS },
      retryConfig: { ...BOUNDARY_RETRY },
      // Every attempt in Cloud Logging: a late or failed boundary can be traced to its task.
      stackdriverLoggingConfig: { samplingRatio: 1 },
    });
    this.invoker = new ServiceAccount(this, "invoker", {
      project: props.projectId,
      accountId: props.invokerAccountId,
      displayName: `gw3cx: Cloud Tasks ${PRESENCE_BOUNDARY_QUEUE} -> boundary function`,
    });
  }

  /** Full queue id, projects/P/locations/L/queues/Q. */
  get id(): string {
    return this.queue.id;
  }

  get name(): string {
    return this.queue.name;
  }

  get location(): string {
    return this.queue.location;
  }

  get invokerEmail(): string {
    return this.invoker.email;
  }

  /**
   * Lets a function schedule and cancel boundaries: create and delete tasks on this queue (no
   * listing, no queue admin), and name the invoker account as the tasks' OIDC identity.
   */
  allowScheduling(account: FunctionServiceAccount, id: string): void {
    for (const role of ["roles/cloudtasks.enqueuer", "roles/cloudtasks.taskDeleter"]) {
      new CloudTasksQueueIamMember(this, `${id}-${role.replace("roles/cloudtasks.", "")}`, {
        project: this.projectId,
        location: this.queue.location,
        name: this.queue.name,
        role,
        member: account.member,
      });
    }
    new ServiceAccountIamMember(this, `${id}-act-as-invoker`, {
      serviceAccountId: this.invoker.name,
      role: "roles/iam.serviceAccountUser",
      member: account.member,
    });
  }

  /** The invoker may call this function's Cloud Run service and nothing else. */
  deliversTo(target: CloudFunction): void {
    new CloudRunV2ServiceIamMember(this, "invoker-run", {
      project: this.projectId,
      location: target.fn.location,
      name: target.fn.name,
      role: "roles/run.invoker",
      member: `serviceAccount:${this.invoker.email}`,
    });
  }
}
